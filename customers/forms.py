"""Admin and portal form fields for the customers app."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from customers.models import Customer, Membership
from customers.services import LAST_MANAGER, is_last_manager
from rfeplatform.tenancy.roles import Role


class StringListField(forms.CharField):
    """A list of strings edited as comma- or newline-separated text."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        text = super().to_python(value) or ""
        items = [item.strip() for chunk in text.splitlines() for item in chunk.split(",")]
        return list(dict.fromkeys(item for item in items if item))


class CustomerForm(forms.ModelForm):
    sbr_groups = StringListField(required=False, help_text="Comma-separated, e.g. 'Ansible, OpenShift'.")
    products = StringListField(required=False, help_text="Comma-separated product names.")

    class Meta:
        model = Customer
        fields = ["team", "name", "account_number", "sbr_groups", "products", "timezone", "active"]


class MembershipForm(forms.ModelForm):
    """Adds a member by username or e-mail, so the form never lists every user of the platform."""

    username = forms.CharField(label="User", help_text="Username or e-mail address of an existing account.")

    class Meta:
        model = Membership
        fields = ["team", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["username"].initial = self.instance.user.get_username()
            self.fields["username"].disabled = True

    def clean_username(self):
        if self.instance.pk:
            return self.instance.user.get_username()
        value = self.cleaned_data["username"].strip()
        users = get_user_model().objects.filter(Q(username__iexact=value) | Q(email__iexact=value), is_active=True)
        if len(users) != 1:
            raise forms.ValidationError("No single active account has that username or e-mail address.")
        self.instance.user = users[0]
        return value

    def clean(self):
        cleaned = super().clean()
        team, user = cleaned.get("team"), getattr(self.instance, "user", None)
        exists = Membership.objects.dangerously_unscoped().filter(team=team, user=user).exists
        if team and user and not self.instance.pk and exists():
            self.add_error("username", "This user is already a member of the team.")
        if self.instance.pk and cleaned.get("role") != Role.MANAGER and is_last_manager(self.instance):
            self.add_error("role", LAST_MANAGER)
        return cleaned
