from django import forms
from django.utils.translation import gettext_lazy as _

from kadans.integrations.importer import KINDS
from kadans.integrations.models import WebForm, WebhookSubscription


class WebFormForm(forms.ModelForm):
    success_url = forms.URLField(
        label=_("page after sending"), required=False, assume_scheme="https",
        help_text=WebForm._meta.get_field("success_url").help_text,
    )

    class Meta:
        model = WebForm
        fields = ["name", "active", "representative", "team", "business_status", "plan", "rate_limit", "success_url"]

    def clean(self):
        data = super().clean()
        if not data.get("representative") and not data.get("team"):
            raise forms.ValidationError(_("Choose a representative or a team to receive the leads."))
        return data


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"), choices=WebhookSubscription.Event.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "events", "active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Give an http or https address."))
        return url


class ImportUploadForm(forms.Form):
    MAX_BYTES = 20 * 1024 * 1024
    kind = forms.ChoiceField(label=_("What to import"), choices=[(k, v[0]) for k, v in KINDS.items()])
    file = forms.FileField(label=_("CSV or XLSX file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class MappingForm(forms.Form):
    """One choice per field of the kind: which column holds it."""

    def __init__(self, *args, kind: str, header: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(not imported)"))] + [(c, c) for c in header if c]
        for field in KINDS[kind][1]:
            label = f"{field.label} *" if field.required else field.label
            self.fields[field.name] = forms.ChoiceField(label=label, choices=choices, required=False)

    def mapping(self) -> dict[str, str]:
        return {name: column for name, column in self.cleaned_data.items() if column}
