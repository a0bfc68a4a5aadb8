from django.utils.functional import SimpleLazyObject


def people(request):
    """`nav_has_reports`: whether to offer "My team" in the navigation; `nav_can_calibrate`: "Calibration".

    Lazy, so they cost a query each only on pages that render the navigation for a signed-in user.
    """
    from assessments.people.models import Person
    from assessments.reports.team import can_see_calibration

    user = getattr(request, "user", None)

    def has_reports():
        if user is None or not user.is_authenticated:
            return False
        return Person.objects.filter(manager__user=user).exists()

    nav_has_reports = SimpleLazyObject(has_reports)

    def can_calibrate():
        # Someone without reports manages no managers: most people are spared the query.
        return bool(user is not None and (nav_has_reports or user.is_hr_admin) and can_see_calibration(user))

    return {"nav_has_reports": nav_has_reports, "nav_can_calibrate": SimpleLazyObject(can_calibrate)}
