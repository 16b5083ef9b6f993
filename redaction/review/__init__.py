"""The review desk: reviewers decide proposals in the browser and sign off the release.

``create_app(ctx)`` builds the FastAPI app; ``cleancopy review`` serves it on 127.0.0.1.
"""
