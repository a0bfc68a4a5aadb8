from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "People and assessments"

    def ready(self):
        from assessments.people import signals  # noqa: F401
        from assessments.reviews import signals as review_signals  # noqa: F401
