"""django-allauth adapters: sign-up is closed unless ACCOUNT_ALLOW_SIGNUP; SSO follows SSO_AUTO_SIGNUP."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return settings.ACCOUNT_ALLOW_SIGNUP


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        # A user signing in through the company's identity provider gets an account with no team;
        # a manager then adds them to a team.
        return settings.SOCIALACCOUNT_AUTO_SIGNUP
