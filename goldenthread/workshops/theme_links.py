"""A link from a theme to something the council keeps (an outcome area, a kind of service): the theme engine
suggests it, a person confirms or rejects it, and only a confirmed link counts anywhere.

:class:`ThemeLink` is the abstract model each such link inherits (``outcomes.ThemeOutcome``,
``market.ThemeServiceType``): the subclass adds its ``cluster`` and target foreign keys and its constraints.
:func:`suggest_links` makes the suggestions through the one adapter to the engine; :func:`decide_posted`
applies a person's decision sent from a page.
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone

from goldenthread.core.themes import similarity
from goldenthread.workshops.models import Cluster, Workshop


def link_constraints(target: str, name: str) -> list:
    """A subclass's constraints: one link per theme and target; a score from 0 to 1."""
    return [models.UniqueConstraint(fields=["cluster", target], name=f"{name}_once"),
            models.CheckConstraint(condition=models.Q(score__gte=0) & models.Q(score__lte=1),
                                   name=f"{name}_score_0_to_1")]


class ThemeLinkQuerySet(models.QuerySet):
    def confirmed(self) -> "ThemeLinkQuerySet":
        return self.filter(status=ThemeLink.Status.CONFIRMED)

    def in_cycle(self, cycle) -> "ThemeLinkQuerySet":
        return self.filter(cluster__board__workshop__cycle=cycle)


class ThemeLink(models.Model):
    """A theme (a named cluster) is linked to a target: suggested by the engine, then checked by a person."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested, not checked yet"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Not about this outcome"

    score = models.FloatField(default=0, help_text="How alike the engine found the theme and the outcome, 0 to 1.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUGGESTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    suggested_at = models.DateTimeField(auto_now_add=True)

    objects = ThemeLinkQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-score", "id"]

    def decide(self, user, *, same: bool) -> None:
        """A person decides: the link holds (confirmed) or not (rejected). Only then it counts."""
        self.status = self.Status.CONFIRMED if same else self.Status.REJECTED
        self.decided_by, self.decided_at = user, timezone.now()
        self.save(update_fields=["status", "decided_by", "decided_at"])


def suggest_links(model: type[ThemeLink], target_field: str, themes: list[Cluster], targets: list,
                  texts: list[str], *, at_least: float = 0.3, most: int = 1) -> int:
    """Suggest, for each theme, the ``most`` targets whose ``texts`` are most like its name and at least
    ``at_least`` alike. A link already there (suggested or decided by a person) is left as it is."""
    if not targets or not themes:
        return 0
    scores = similarity([c.name for c in themes], texts)
    made = 0
    for cluster, row in zip(themes, scores):
        best = sorted(range(len(targets)), key=lambda i: -row[i])[:most]
        for i in best:
            if row[i] >= at_least:
                _link, created = model.objects.get_or_create(
                    cluster=cluster, **{target_field: targets[i]},
                    defaults={"score": round(min(max(row[i], 0.0), 1.0), 3)})
                made += created
    return made


def themes_of(workshop: Workshop, kind: str | None = None) -> list[Cluster]:
    """The workshop's themes (named clusters on its main boards), of one kind if asked."""
    found = Cluster.objects.in_workshop(workshop).themes()
    return list(found.filter(board__kind=kind) if kind else found)


def decide_posted(links, link_id: str, decision: str, user) -> ThemeLink:
    """A person's decision sent from a page: ``link_id`` among ``links`` (a queryset), confirmed when
    ``decision`` is "confirm", else rejected. A malformed id is a bad request; an unknown one a 404."""
    if not (link_id.isascii() and link_id.isdigit() and len(link_id) <= 18):
        raise BadRequest("The link to confirm or reject must be given by its number.")
    link = get_object_or_404(links, pk=int(link_id))
    link.decide(user, same=decision == "confirm")
    return link
