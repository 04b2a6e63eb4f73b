from django import forms
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.functional import lazy
from django.utils.text import format_lazy

from comments import captcha, moderation, spam

NAME_MAX = 80
BODY_MIN, BODY_MAX = 5, 2000

# Formatted when shown, not at import (the number format is the active language's).
grouped = lazy(intcomma, str)
_NUL = "Nội dung có ký tự không hợp lệ (ký tự rỗng)."


class CommentForm(forms.Form):
    """A reader's comment. Everything a reader sends is checked here except the posting
    limits (services.comment_submit, which needs a lock)."""

    name = forms.CharField(
        label="Họ và tên",
        max_length=NAME_MAX,
        error_messages={
            "required": "Vui lòng nhập họ và tên.",
            "max_length": f"Họ và tên dài tối đa {NAME_MAX} ký tự.",
            "null_characters_not_allowed": _NUL,
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="Không hiển thị công khai.",
        error_messages={
            "required": "Vui lòng nhập email.",
            "invalid": "Địa chỉ email không hợp lệ.",
            "max_length": "Địa chỉ email quá dài.",
            "null_characters_not_allowed": _NUL,
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    body = forms.CharField(
        label="Ý kiến của bạn",
        min_length=BODY_MIN,
        max_length=BODY_MAX,
        strip=False,
        help_text=format_lazy(
            "Từ {} đến {} ký tự, không chứa mã HTML.", BODY_MIN, grouped(BODY_MAX)
        ),
        error_messages={
            "required": "Vui lòng nhập nội dung ý kiến.",
            "min_length": f"Ý kiến cần ít nhất {BODY_MIN} ký tự.",
            "max_length": format_lazy(
                "Ý kiến dài tối đa {} ký tự (bạn đã nhập %(show_value)s).", grouped(BODY_MAX)
            ),
            "null_characters_not_allowed": _NUL,
        },
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    # The honeypot: hidden from people by CSS, filled in by form-filling robots.
    website = forms.CharField(
        label="Để trống ô này", required=False, max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )  # fmt: skip
    opened = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)
    captcha_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)
    captcha = forms.CharField(
        label="Mã xác nhận",
        required=False,
        max_length=12,
        help_text="Nhập các ký tự trong hình (không phân biệt hoa thường).",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, article, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.held = moderation.needs_approval(user)  # for the notice under the form
        self.use_captcha = settings.COMMENT_CAPTCHA
        if not self.use_captcha:
            del self.fields["captcha"], self.fields["captcha_token"]
        # The tokens that came in are checked in clean(); the form shown again (after an
        # error) carries new ones.
        data = self.data if self.is_bound else {}
        self._sent_opened = data.get("opened", "")
        self._sent_captcha_token = data.get("captcha_token", "")
        self._sent_captcha = data.get("captcha", "")
        self.refresh_tokens()

    def refresh_tokens(self):
        """New timing and captcha tokens for the form shown next (first or after an error):
        a re-sent form is timed from now, and a captcha is never shown twice."""
        self.fields["opened"].initial = spam.make_form_token(self.article.pk)
        if self.use_captcha:
            self.fields["captcha_token"].initial = captcha.new_token(self.article.pk)
        if self.is_bound:
            # Bound fields render their submitted value; replace the hidden ones.
            self.data = self.data.copy()
            self.data["opened"] = self.fields["opened"].initial
            if self.use_captcha:
                self.data["captcha_token"] = self.fields["captcha_token"].initial
                self.data["captcha"] = ""

    def clean_name(self):
        name = spam.clean_line(self.cleaned_data["name"])
        if len(name) < 2:
            raise forms.ValidationError("Vui lòng nhập họ và tên (ít nhất 2 ký tự).")
        if "<" in name or ">" in name or spam.count_links(name):
            raise forms.ValidationError("Họ và tên không được chứa mã HTML hay liên kết.")
        return name

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if "<" in email or ">" in email:
            raise forms.ValidationError("Địa chỉ email không hợp lệ.")
        return email.lower()

    def clean_body(self):
        return spam.clean_message_body(self.cleaned_data["body"], "Ý kiến", BODY_MIN)

    def clean(self):
        data = super().clean()
        if data.get("website") or self.data.get("website"):
            raise forms.ValidationError(
                "Không gửi được ý kiến: biểu mẫu có dấu hiệu được điền tự động."
            )
        # Every other problem is reported with this one: a reader who sent too quickly
        # and also left a field empty learns both from one answer, not one per try.
        try:
            spam.check_form_token(self._sent_opened, self.article.pk)
        except spam.FormTokenError as error:
            self.add_error(None, str(error))
        if self.use_captcha and not captcha.check(
            self._sent_captcha_token, self._sent_captcha, self.article.pk
        ):
            self.add_error("captcha", "Mã xác nhận chưa đúng. Vui lòng nhập lại mã trong hình.")
        word = spam.find_blocked_word(data.get("name", ""), data.get("body", ""))
        if word:
            self.add_error(
                None,
                "Ý kiến có từ ngữ không phù hợp và không được đăng. Vui lòng sửa lại nội dung.",
            )
        return data
