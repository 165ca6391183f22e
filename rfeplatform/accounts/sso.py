"""Single sign-on providers (OIDC, SAML) for django-allauth, configured from environment variables.

Kept out of settings.py so the mapping from variables to allauth's provider settings is testable.
"""

import json
from collections.abc import Mapping


def build_socialaccount_providers(env: Mapping[str, str]) -> dict:
    """Map OIDC_* / SAML_* variables to allauth's SOCIALACCOUNT_PROVIDERS.

    OIDC needs OIDC_SERVER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET. SAML needs SAML_ENTITY_ID and
    either SAML_METADATA_URL or SAML_SSO_URL + SAML_X509CERT. Unset means the provider is not offered.
    """
    providers: dict = {}

    def get(name, default=""):
        return env.get(name, default)

    if get("OIDC_SERVER_URL", default=""):
        providers["openid_connect"] = {
            "APPS": [
                {
                    "provider_id": get("OIDC_PROVIDER_ID", default="sso"),
                    "name": get("OIDC_PROVIDER_NAME", default="Single sign-on"),
                    "client_id": get("OIDC_CLIENT_ID", default=""),
                    "secret": get("OIDC_CLIENT_SECRET", default=""),
                    "settings": {
                        "server_url": get("OIDC_SERVER_URL", default=""),
                        "token_auth_method": get("OIDC_TOKEN_AUTH_METHOD", default="client_secret_basic"),
                        "scope": get("OIDC_SCOPES", default="openid profile email").split(),
                    },
                }
            ]
        }
    if get("SAML_ENTITY_ID", default=""):
        idp = {"entity_id": get("SAML_ENTITY_ID", default="")}
        if get("SAML_METADATA_URL", default=""):
            idp["metadata_url"] = get("SAML_METADATA_URL", default="")
        else:
            idp["sso_url"] = get("SAML_SSO_URL", default="")
            idp["x509cert"] = get("SAML_X509CERT", default="")
        mapping = get("SAML_ATTRIBUTE_MAPPING", default="")
        providers["saml"] = {
            "APPS": [
                {
                    "name": get("SAML_PROVIDER_NAME", default="SAML sign-on"),
                    "provider_id": get("SAML_ENTITY_ID", default=""),
                    # allauth addresses a SAML app by this slug: /accounts/saml/<client_id>/...
                    "client_id": get("SAML_ORGANIZATION", default="default"),
                    "settings": {
                        "attribute_mapping": json.loads(mapping)
                        if mapping
                        # Without a "uid" mapping allauth uses the assertion's NameID as the user id.
                        else {
                            "email": "email",
                            "username": "username",
                            "first_name": "first_name",
                            "last_name": "last_name",
                        },
                        "idp": idp,
                    },
                }
            ]
        }
    return providers
