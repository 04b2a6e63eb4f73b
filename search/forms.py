from django import forms
from django.core.validators import ProhibitNullCharactersValidator

BAD_CHARACTERS = "Từ khóa chứa ký tự không hợp lệ."


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Từ khóa",
        max_length=200,
        min_length=2,
        error_messages={
            "required": "Hãy nhập từ khóa cần tìm.",
            "max_length": "Từ khóa quá dài (tối đa %(limit_value)d ký tự).",
            "min_length": "Từ khóa quá ngắn (ít nhất %(limit_value)d ký tự).",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["q"]
        field.validators = [
            v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ] + [ProhibitNullCharactersValidator(message=BAD_CHARACTERS)]

    def clean_q(self):
        value = self.cleaned_data["q"]
        value = " ".join(value.split())
        if not any(ch.isalnum() for ch in value):
            raise forms.ValidationError("Hãy nhập từ khóa có chữ hoặc số.")
        return value
