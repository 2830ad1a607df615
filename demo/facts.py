"""The demo data set: the facts of the five source articles in ``data/`` (one file per article), and ``load_demo``.

Facts are copied, wording is ours. Unknown values stay empty; conflicts and approximations are explained in
``notes``; every record names its article, and each value the article does not state is stored as an inference
with its reason (``inferences``). Figures that fit no field are stated facts (see the files' headers).
"""

from pathlib import Path

from django.db import transaction

from campaigns.models import Assignment, Campaign, CampaignReport, Hashtag, StatedFact
from partners.models import Agency, Channel, ChannelMetric, Kol, Mou, PartnerCompany, RosterMembership

from .loader import Loader, read
from .users import assign_demo_responsibility, assign_demo_roles, ensure_demo_users

DATA_DIR = Path(__file__).resolve().parent / "data"
# Loaded in name order: a record may refer to rows of an earlier file (article 004 to TikTok Vietnam, from 003).
DATA_FILES = sorted(DATA_DIR.glob("*.yaml"))

# The models the demo fills, in the order load_demo reports them.
DEMO_MODELS = (
    Agency,
    PartnerCompany,
    Kol,
    Channel,
    RosterMembership,
    Mou,
    Hashtag,
    Campaign,
    Assignment,
    ChannelMetric,
    CampaignReport,
    StatedFact,
)


def article_source(name):
    """The file-level ``source`` of data file ``name``: the article's URL, or its description when it has none."""
    return read(DATA_DIR / name)[0]


# Articles 000 (English) and 001 (its Vietnamese version) share one URL and one file.
SOURCE_KOL_ARTICLE = article_source("000_001_kol_communication.yaml")["url"]
SOURCE_QMG_ARTICLE = article_source("002_qmg_social_media.yaml")["url"]
SOURCE_CULTURE_ARTICLE = article_source("003_ban_sac_viet_mou.yaml")["url"]
# Article 004 gives no URL.
SOURCE_NOTE_CONTEST_ARTICLE = article_source("004_thoi_khac_kho_quen.yaml")["description"]


def load_demo():
    """Load every demo row and the demo users in one transaction; returns the loader and the DemoUsers."""
    with transaction.atomic():
        loader = Loader().load(DATA_FILES)
        demo_users = ensure_demo_users()
        users_by_username = {user.username: user for user in demo_users.users}
        assign_demo_roles(users_by_username)
        assign_demo_responsibility(users_by_username)
    return loader, demo_users
