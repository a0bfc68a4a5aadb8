from django.utils.functional import SimpleLazyObject


def people(request):
    """`nav_has_reports`: whether to offer "My team" in the navigation.

    Lazy, so it costs one query only on pages that render the navigation for a signed-in user.
    """
    from assessments.models import Person

    user = getattr(request, "user", None)

    def has_reports():
        if user is None or not user.is_authenticated:
            return False
        return Person.objects.filter(manager__user=user).exists()

    return {"nav_has_reports": SimpleLazyObject(has_reports)}
