from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))


class SignForm(forms.Form):
    name = forms.CharField(label=_("Your full name"), max_length=200)
    signature = forms.CharField(widget=forms.HiddenInput, required=False)
    consent = forms.BooleanField(
        label=_("I have read the document and agree to sign it electronically."), required=False
    )
