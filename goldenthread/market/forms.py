"""Forms for keeping the market directory by hand: one service type, one provision."""
from __future__ import annotations

from django import forms

from goldenthread.core.forms import ManyFromList, PlainErrors
from goldenthread.core.models import Area, UserGroup
from goldenthread.market.models import Provision, ServiceType


class ServiceTypeForm(PlainErrors, forms.ModelForm):
    class Meta:
        model = ServiceType
        fields = ["name", "description"]
        labels = {"name": "Name of the kind of support"}
        help_texts = {"name": 'For example "Day opportunities" or "Befriending".'}

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        clash = ServiceType.objects.exclude(pk=self.instance.pk).filter(name__iexact=name).first()
        if clash or not name:
            raise forms.ValidationError(f"'{clash.name}' is already a service type." if clash
                                        else "Enter the name of the kind of support.")
        return name


class ProvisionForm(PlainErrors, forms.ModelForm):
    areas = ManyFromList(queryset=Area.objects.order_by("name"), widget=forms.CheckboxSelectMultiple,
                                           label="Areas it serves")
    user_groups = ManyFromList(queryset=UserGroup.objects.order_by("name"), required=False,
                                                 widget=forms.CheckboxSelectMultiple, label="User groups it is for",
                                                 help_text="Choose none if it is for everyone.")

    class Meta:
        model = Provision
        fields = ["name", "kind", "service_type", "organisation", "areas", "user_groups", "capacity",
                  "capacity_unit", "notes"]
        labels = {"kind": "What it is", "service_type": "Kind of support", "capacity": "Capacity",
                  "capacity_unit": "What the capacity counts"}
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].empty_label = "Choose a kind of support"

    def clean(self):
        data = super().clean()
        name, service_type = " ".join(str(data.get("name") or "").split()), data.get("service_type")
        if name and service_type and Provision.objects.exclude(pk=self.instance.pk).filter(
                service_type=service_type).filter(name__iexact=name).exists():
            self.add_error("name", f"There is already a provision of this kind called '{name}'.")
        return data

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())
