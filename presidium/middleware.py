"""Chinese first: the language is Chinese unless the user chose English with the switch.

Django's LocaleMiddleware would follow the browser's Accept-Language; on a government intranet
the portal's language is the office's, not the browser's, so only the switch's cookie counts.
"""

from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ScriptedUploadRedirectMiddleware:
    """An upload sent by ``static/js/upload.js`` (header ``X-Upload-Form: 1``) gets its redirect as JSON.

    XMLHttpRequest follows a redirect by itself and hands the page only the final response: the script
    would not learn where to go, and that hidden request would use up the next page's "已保存" message.
    So the redirect is answered as ``{"redirect": url}`` and the script navigates there. Placed after
    the session and message middleware, so their cookies go out on this answer.
    """

    HEADER = "X-Upload-Form"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get(self.HEADER) == "1" and response.status_code in (301, 302, 303, 307, 308):
            answer = JsonResponse({"redirect": response["Location"]})
            answer.cookies = response.cookies
            answer["Cache-Control"] = "no-store"
            return answer
        return response
