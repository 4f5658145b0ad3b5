from django import forms
from django.utils.translation import gettext_lazy as _

from kadans.relations.selectors import visible_relations


class LinkForm(forms.Form):
    relation = forms.CharField(label=_("Relation"), max_length=200, help_text=_("The relation's name."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_relation(self):
        name = self.cleaned_data["relation"].strip()
        found = list(visible_relations(self.user).filter(name__iexact=name)[:2])
        if not found:
            raise forms.ValidationError(_("No relation has this name."))
        if len(found) > 1:
            raise forms.ValidationError(_("Several relations have this name; rename one of them first."))
        return found[0]
