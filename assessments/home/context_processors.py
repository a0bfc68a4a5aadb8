from django.utils.functional import SimpleLazyObject


def people(request):
    """`nav_has_reports`: whether to offer "My team" in the navigation; `nav_can_calibrate`: "Calibration".

    Lazy, so they cost a query each only on pages that render the navigation for a signed-in user.
    """
    from assessments.people.access import manages_anyone
    from assessments.reports.access import can_see_calibration

    user = getattr(request, "user", None)

    nav_has_reports = SimpleLazyObject(lambda: manages_anyone(user))

    def can_calibrate():
        # Someone without reports manages no managers: most people are spared the query.
        return bool(user is not None and (nav_has_reports or user.is_hr_admin) and can_see_calibration(user))

    return {"nav_has_reports": nav_has_reports, "nav_can_calibrate": SimpleLazyObject(can_calibrate)}
