"""HTTP to the gunicorn under test, on 127.0.0.1 only: GET, signing in, a free port, Redis."""

from __future__ import annotations

import http.client
import re
import socket
import urllib.parse

from bench_common import FORWARDED


def redis_reachable(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# HTTP, by hand: the session cookie is Secure (production settings), which a cookie jar would
# keep from a plain-HTTP request to 127.0.0.1.


def http_get(port: int, path: str, cookie: str = "") -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {**FORWARDED, **({"Cookie": cookie} if cookie else {})}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    found = {k.lower(): v for k, v in response.getheaders()}
    cookies = "; ".join(
        v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie"
    )
    found["set-cookie"] = cookies
    connection.close()
    return response.status, found, body


def sign_in(port: int, username: str, password: str) -> str:
    """The session cookie after signing in through the real sign-in form."""
    status, headers, body = http_get(port, "/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    cookie = headers["set-cookie"]
    if status != 200 or token is None or "csrftoken=" not in cookie:
        raise RuntimeError(f"sign-in page: status {status}")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    )
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            **FORWARDED,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": f"https://127.0.0.1:{port}/accounts/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    session = [
        v.split(";", 1)[0]
        for k, v in response.getheaders()
        if k.lower() == "set-cookie" and v.startswith("sessionid=")
    ]
    connection.close()
    if response.status != 302 or not session:
        raise RuntimeError(f"sign-in as {username}: status {response.status}, no session")
    return session[0]
