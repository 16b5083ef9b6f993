"""The review desk's routers, each registered by ``create_app`` with ``include_router``."""
