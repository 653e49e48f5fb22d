"""The market: what services, providers and community resources are present, by type, area and user group.

*Working together for change* asks commissioners to set what people want for the future against what is
already there, and to develop the market where the two part. A :class:`ServiceType` is one kind of support a
council commissions or a community offers ("Day opportunities", "Supported employment", "Befriending"); a
:class:`Provision` is one thing that exists: a service, a provider's offer or a community resource, in one or
more areas, for one or more user groups, with its capacity where it is known.
"""
from __future__ import annotations

from django.db import models

from goldenthread.core.models import Area, NamedLookup, UserGroup
from goldenthread.workshops.models import Cluster
from goldenthread.workshops.theme_links import ThemeLink, link_constraints


class ServiceType(NamedLookup):
    """One kind of support, with a description in plain words (the engine matches themes against both)."""

    description = models.TextField(blank=True, help_text="What this kind of support does, in plain words.")

    class Meta(NamedLookup.Meta):
        pass


class ProvisionQuerySet(models.QuerySet):
    def in_area(self, area: Area) -> "ProvisionQuerySet":
        return self.filter(areas=area)

    def for_group(self, user_group: UserGroup) -> "ProvisionQuerySet":
        return self.filter(user_groups=user_group)

    def of_type(self, service_type: ServiceType) -> "ProvisionQuerySet":
        return self.filter(service_type=service_type)


class Provision(models.Model):
    """One service, provider offer or community resource that is present in the council's areas."""

    class Kind(models.TextChoices):
        SERVICE = "service", "Commissioned service"
        PROVIDER = "provider", "Provider's own offer"
        COMMUNITY = "community", "Community resource"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SERVICE)
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="provisions")
    organisation = models.CharField(max_length=200, blank=True, help_text="Who runs it, if known.")
    areas = models.ManyToManyField(Area, related_name="+", help_text="The areas it serves.")
    user_groups = models.ManyToManyField(UserGroup, related_name="+", blank=True,
                                         help_text="The user groups it is for. Empty: everyone.")
    capacity = models.PositiveIntegerField(null=True, blank=True,
                                           help_text="How many people it can support at once, if known.")
    capacity_unit = models.CharField(max_length=40, blank=True, default="people",
                                     help_text='What the capacity counts, for example "people" or "places".')
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProvisionQuerySet.as_manager()

    class Meta:
        ordering = ["service_type__name", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "service_type"], name="provision_once_per_type")]

    def __str__(self) -> str:
        return self.name


class ThemeServiceType(ThemeLink):
    """An *Important for the future* theme asks for a kind of support: suggested by the engine, then checked by a
    person. Only a confirmed link counts in the market view."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested, not checked yet"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Not asking for this"

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="service_type_links")
    service_type = models.ForeignKey(ServiceType, on_delete=models.CASCADE, related_name="theme_links")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUGGESTED)

    class Meta(ThemeLink.Meta):
        constraints = link_constraints("service_type", "theme_service_type")

    def __str__(self) -> str:
        return f"{self.cluster} -> {self.service_type} ({self.status})"
