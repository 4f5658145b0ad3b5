"""Helpers the pages of every app share for their forms and query strings."""

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def is_id(value: str) -> bool:
    """Whether a query or form value can be a database id: ASCII digits only (str.isdigit() also accepts
    '²', which int() refuses) and short enough for a 64-bit integer."""
    return value.isascii() and value.isdigit() and len(value) <= 18
