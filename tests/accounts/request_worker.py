"""One app process for the cross-process tests: answers requests read from stdin, one JSON object a line.

Run as ``python -m tests.accounts.request_worker`` with the deployment's environment (DATABASE_URL,
REDIS_URL, ...). Each request goes through the whole Django stack (WSGI handler, middleware, axes,
throttles) in this process; the answer is ``{"status": ..., "retry_after": ...}``.
"""

import json
import sys
from urllib.parse import urlencode

import django


def main():
    django.setup()
    from django.test import Client

    client = Client()
    for line in sys.stdin:
        request = json.loads(line)
        if "form" in request:
            body, content_type = urlencode(request["form"]), "application/x-www-form-urlencoded"
        else:
            body, content_type = json.dumps(request.get("json", {})), "application/json"
        response = client.generic(
            request["method"], request["path"], body, content_type, headers=request.get("headers", {})
        )
        print(json.dumps({"status": response.status_code, "retry_after": response.get("Retry-After")}), flush=True)


if __name__ == "__main__":
    main()
