from django import forms
from django.conf import settings

from comments import captcha, spam
from contact.models import Department

# The timing and captcha tokens of comments.spam and comments.captcha, bound to this form.
FORM_NAME = "lien-he"
NAME_MAX, SUBJECT_MAX, BODY_MIN, BODY_MAX = 100, 200, 10, 5000
_NUL = "Nội dung có ký tự không hợp lệ (ký tự rỗng)."


class ContactForm(forms.Form):
    """The reader's message, with the comment form's defences (honeypot, timing token,
    optional captcha, blocked words, no markup, few links); the sending limit is in
    services.message_submit."""

    department = forms.ModelChoiceField(
        label="Gửi đến bộ phận",
        queryset=Department.objects.active(),
        empty_label="-- Chọn bộ phận --",
        error_messages={
            "required": "Vui lòng chọn bộ phận nhận thư.",
            "invalid_choice": "Bộ phận đã chọn không có trong danh sách. Vui lòng chọn lại.",
        },
    )
    name = forms.CharField(
        label="Họ và tên", max_length=NAME_MAX,
        error_messages={"required": "Vui lòng nhập họ và tên.",
                        "max_length": f"Họ và tên dài tối đa {NAME_MAX} ký tự.",
                        "null_characters_not_allowed": _NUL},
    )  # fmt: skip
    email = forms.EmailField(
        label="Email", required=False, max_length=254,
        error_messages={"invalid": "Địa chỉ email không hợp lệ.",
                        "max_length": "Địa chỉ email quá dài.",
                        "null_characters_not_allowed": _NUL},
    )  # fmt: skip
    phone = forms.RegexField(
        label="Điện thoại", required=False, max_length=20, regex=r"^\+?[0-9 .()-]{8,20}$",
        error_messages={"invalid": "Số điện thoại không hợp lệ (chỉ gồm chữ số, 8-20 ký tự).",
                        "max_length": "Số điện thoại quá dài.",
                        "null_characters_not_allowed": _NUL},
    )  # fmt: skip
    subject = forms.CharField(
        label="Tiêu đề", max_length=SUBJECT_MAX,
        error_messages={"required": "Vui lòng nhập tiêu đề.",
                        "max_length": f"Tiêu đề dài tối đa {SUBJECT_MAX} ký tự.",
                        "null_characters_not_allowed": _NUL},
    )  # fmt: skip
    body = forms.CharField(
        label="Nội dung",
        min_length=BODY_MIN,
        max_length=BODY_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"Từ {BODY_MIN} đến {BODY_MAX:,} ký tự, không chứa mã HTML.".replace(",", "."),
        error_messages={
            "required": "Vui lòng nhập nội dung thư.",
            "min_length": f"Nội dung cần ít nhất {BODY_MIN} ký tự.",
            "max_length": f"Nội dung dài tối đa {BODY_MAX:,} ký tự ".replace(",", ".")
            + "(bạn đã nhập %(show_value)s).",
            "null_characters_not_allowed": _NUL,
        },
    )
    website = forms.CharField(required=False, max_length=200)  # the honeypot
    opened = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)
    captcha_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)
    captcha = forms.CharField(label="Mã xác nhận", required=False, max_length=12)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_captcha = settings.COMMENT_CAPTCHA
        data = self.data if self.is_bound else {}
        self._sent_opened = data.get("opened", "")
        self._sent_captcha_token = data.get("captcha_token", "")
        self._sent_captcha = data.get("captcha", "")
        # The form shown (first or after an error) carries new tokens.
        self.opened_token = spam.make_form_token(FORM_NAME)
        self.captcha_token_value = captcha.new_token(FORM_NAME) if self.use_captcha else ""

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

    def clean_subject(self):
        subject = spam.clean_line(self.cleaned_data["subject"])
        if len(subject) < 3:
            raise forms.ValidationError("Vui lòng nhập tiêu đề (ít nhất 3 ký tự).")
        if spam.has_markup(subject):
            raise forms.ValidationError("Tiêu đề không được chứa mã HTML.")
        return subject

    def clean_body(self):
        return spam.clean_message_body(self.cleaned_data["body"], "Nội dung", BODY_MIN)

    def clean(self):
        data = super().clean()
        if data.get("website") or self.data.get("website"):
            raise forms.ValidationError(
                "Không gửi được thư: biểu mẫu có dấu hiệu được điền tự động."
            )
        try:
            spam.check_form_token(self._sent_opened, FORM_NAME)
        except spam.FormTokenError as error:
            raise forms.ValidationError(str(error).replace("ý kiến", "thư")) from None
        if self.use_captcha and not captcha.check(
            self._sent_captcha_token, self._sent_captcha, FORM_NAME
        ):
            self.add_error("captcha", "Mã xác nhận chưa đúng. Vui lòng nhập lại mã trong hình.")
        if not data.get("email") and not data.get("phone") and not self.has_error("email") \
                and not self.has_error("phone"):  # fmt: skip
            self.add_error("email", "Vui lòng để lại email hoặc số điện thoại để được trả lời.")
        word = spam.find_blocked_word(
            data.get("name", ""), data.get("subject", ""), data.get("body", "")
        )
        if word:
            raise forms.ValidationError(
                "Thư có từ ngữ không phù hợp và không được gửi. Vui lòng sửa lại nội dung."
            )
        return data


class QuestionSearchForm(forms.Form):
    q = forms.CharField(
        label="Tìm câu hỏi", required=False, max_length=200,
        error_messages={"max_length": "Từ khóa dài tối đa 200 ký tự."},
    )  # fmt: skip
    field = forms.ModelChoiceField(
        label="Lĩnh vực", required=False, queryset=Department.objects.all(), to_field_name="slug",
        empty_label="Tất cả lĩnh vực",
        error_messages={"invalid_choice": "Lĩnh vực đã chọn không có trong danh sách."},
    )  # fmt: skip
