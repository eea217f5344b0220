"""The four languages Solidair speaks, for people and for organisations."""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FR = "fr", _("French")
    NL = "nl", _("Dutch")
    EN = "en", _("English")
    DE = "de", _("German")


CODES = [code for code, _label in Language.choices]


def language_names(codes: list[str]) -> str:
    labels = dict(Language.choices)
    return ", ".join(str(labels[code]) for code in codes if code in labels)


if TYPE_CHECKING:
    _LanguageSetBase = models.CharField[list[str] | str, list[str]]
else:
    _LanguageSetBase = models.CharField


class LanguageSetField(_LanguageSetBase):
    """A set of language codes stored as ",fr,nl," so that both SQLite and PostgreSQL
    can filter on one language with `__contains=",nl,"` (see `speaks`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("default", "")
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if isinstance(value, list):
            return [code for code in CODES if code in value]
        if not value:
            return []
        return [code for code in CODES if code in value.strip(",").split(",")]

    def get_prep_value(self, value):
        codes = self.to_python(value)
        return f",{','.join(codes)}," if codes else ""

    def formfield(self, form_class=None, choices_form_class=None, **kwargs):
        from django import forms
        from django.utils.text import capfirst

        return forms.MultipleChoiceField(
            choices=Language.choices,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
        )

    def value_to_string(self, obj):
        return ",".join(self.value_from_object(obj))


def speaks(field: str, code: str) -> dict[str, str]:
    """Filter keyword for "this language set contains `code`"."""
    return {f"{field}__contains": f",{code},"}
