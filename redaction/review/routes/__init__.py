"""The desk's routes, one router per screen or concern; ``redaction.review.app``
includes each of them."""
