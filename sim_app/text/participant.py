"""The participants' page's texts, in English, by key (the page receives them, and their
translations from the gettext catalogue, when it is served: ``sim_app.room.api``)."""

from __future__ import annotations

PARTICIPANT: dict[str, str] = {
    "title": "Room",
    "join": "Take an institution",
    "yourName": "Your name",
    "take": "Take",
    "taken": "taken",
    "you": "You play the manager of",
    "service": "Service",
    "cost": "Staff cost",
    "trust": "Your trust",
    "shadow": "Shadow staff",
    "phase0": "waiting",
    "phase1": "in transition",
    "phase2": "served",
    "perYear": "mio. kr./yr",
    "round": "Round {n}: your decisions (month {m})",
    "joinQ": "Join the centre now?",
    "joinNow": "Join now",
    "wait": "Wait",
    "shadowQ": "Your shadow staff",
    "keep": "Keep as it is",
    "build": "Build up",
    "dismantle": "Dismantle",
    "escalate": "Escalate a complaint about the centre",
    "send": "Send my decisions",
    "sent": "Sent ✓ (you can change them until the round closes)",
    "waitRound": "Wait for the next decision round.",
    "month": "Month {m} of {n} · {w}",
    "finished": "The workshop is over. Thank you!",
    "lost": "Connection lost; retrying…",
    "before": "before",
    "needName": "Write your name first, then take an institution.",
    "leave": "Leave this institution",
    "leaveQ": "Leave your institution? Someone else can then take it.",
    "ended": "This room has ended.",
}

#: Texts the page takes as lists (one entry per institution phase).
LISTS = {"phase": 3}


def texts() -> dict[str, dict[str, object]]:
    """The page's texts in every language, as the page's script reads them."""
    from sim_app.text.catalog import translate

    out: dict[str, dict[str, object]] = {}
    for lang in ("en", "da"):
        t: dict[str, object] = {k: translate(f"participant:{k}", en, lang)
                                for k, en in PARTICIPANT.items()}
        for name, n in LISTS.items():
            t[name] = [t.pop(f"{name}{i}") for i in range(n)]
        out[lang] = t
    return out
