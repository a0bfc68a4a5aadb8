from django.shortcuts import render

from frameworks.models import Framework


def framework_list(request):
    frameworks = Framework.objects.visible_to(request.user).order_by("key", "-version")
    return render(request, "frameworks/list.html", {"frameworks": frameworks})
