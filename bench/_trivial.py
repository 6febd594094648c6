"""A trivial WSGI app (a fixed 2 KB answer), served by its own gunicorn as a second
baseline: what Python, gunicorn and loopback cost before any Django at all."""

BODY = b"<!DOCTYPE html><title>ok</title>" + b"x" * 2000


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(BODY)))])
    return [BODY]
