"""A stand-in for the partner FastAPI service: it verifies our access tokens itself with PyJWT,
asks our API for the upload count, "processes" the upload, then increments the count by
forwarding the user's token, and answers 429 once our server says the limit is hit.

It verifies either with the shared HS256 secret, or, holding no secret at all, with the public
keys PyJWKClient fetches (and caches) from our JWKS URL:
  AUTH_URL=http://127.0.0.1:8080 JWT_SECRET=... uvicorn partner_app:app --port 9000
  AUTH_URL=http://127.0.0.1:8080 JWT_ALGORITHM=EdDSA uvicorn partner_app:app --port 9000
"""
import hashlib
import os

import httpx
import jwt
from fastapi import FastAPI, Header, HTTPException

AUTH_URL = os.environ["AUTH_URL"]
SECRET = os.environ.get("JWT_SECRET")
ALGORITHM = os.environ.get("JWT_ALGORITHM", "HS256")
JWKS = None if SECRET else jwt.PyJWKClient(AUTH_URL + "/.well-known/jwks.json")

app = FastAPI()


def verification_key(token: str):
    return SECRET if SECRET else JWKS.get_signing_key_from_jwt(token).key


def verified_claims(authorization: str | None) -> dict:
    if not authorization or not authorization.startswith("Bearer "):
        raise HTTPException(401, "missing token")
    try:
        token = authorization.removeprefix("Bearer ")
        return jwt.decode(token, verification_key(token), algorithms=[ALGORITHM])
    except jwt.ExpiredSignatureError:
        raise HTTPException(401, "token expired")
    except (jwt.InvalidTokenError, jwt.PyJWKClientError):
        raise HTTPException(401, "invalid token")


@app.get("/secret-fingerprint")
def fingerprint() -> dict:
    return {"fingerprint": hashlib.sha256(SECRET.encode()).hexdigest()[:16] if SECRET else None}


@app.post("/upload")
def upload(authorization: str | None = Header(default=None)) -> dict:
    claims = verified_claims(authorization)
    headers = {"Authorization": authorization}
    with httpx.Client(base_url=AUTH_URL, timeout=10) as auth:
        usage = auth.get("/api/auth/user-uploads", headers=headers).json()
        if not usage["canUpload"]:
            raise HTTPException(429, "upload limit reached")
        # ... the file would be stored here ...
        counted = auth.post("/api/auth/increment-upload", headers=headers)
        if counted.status_code == 429:
            raise HTTPException(429, "upload limit reached")
        counted.raise_for_status()
        return {"user": claims["sub"], "filesUploaded": counted.json()["filesUploaded"]}
