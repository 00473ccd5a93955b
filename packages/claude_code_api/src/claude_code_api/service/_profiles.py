"""Key profiles (free / pro / enterprise) and the catalogue of tools, agents and skills.

A request outside its key's profile is refused with 403 `Permission denied: <reason>` before
anything runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, get_args

__all__ = [
    "AGENTS",
    "PROFILES",
    "SKILLS",
    "TOOLS",
    "AgentName",
    "Profile",
    "SkillName",
    "ToolName",
    "capabilities",
    "profile_refusal",
]

ToolName = Literal["Read", "Write", "Edit", "Glob", "Grep", "Bash", "WebFetch", "WebSearch", "Task"]
AgentName = Literal["security-auditor", "code-reviewer", "test-writer", "doc-writer"]
SkillName = Literal["semantic-text-matcher", "summarizer"]

TOOLS: tuple[str, ...] = get_args(ToolName)

AGENTS: dict[str, dict[str, object]] = {
    "security-auditor": {
        "description": "Reviews code for security issues",
        "tools": ["Read", "Grep", "Glob"],
        "model": "sonnet",
    },
    "code-reviewer": {
        "description": "Reviews code for bugs and style",
        "tools": ["Read", "Grep", "Glob"],
        "model": "sonnet",
    },
    "test-writer": {
        "description": "Writes unit tests",
        "tools": ["Read", "Write", "Bash"],
        "model": "sonnet",
    },
    "doc-writer": {
        "description": "Writes documentation",
        "tools": ["Read", "Write"],
        "model": "haiku",
    },
}

SKILLS: dict[str, dict[str, str]] = {
    "semantic-text-matcher": {
        "description": "Finds passages similar in meaning",
        "command": "/semantic-match",
    },
    "summarizer": {"description": "Summarises long documents", "command": "/summarize"},
}

ALL = "*"


@dataclass(frozen=True)
class Profile:
    """What a key may ask for."""

    name: str
    allowed_tools: tuple[str, ...]
    blocked_tools: tuple[str, ...]
    allowed_agents: tuple[str, ...]
    allowed_skills: tuple[str, ...]
    max_cost_per_task: float
    max_timeout: float


PROFILES: dict[str, Profile] = {
    "free": Profile("free", ("Read", "Grep", "Glob"), ("Bash", "Write", "Edit"), (), (), 0.10, 60),
    "pro": Profile(
        "pro",
        ("Read", "Grep", "Glob", "Write", "Edit", "Bash"),
        (),
        ("security-auditor", "code-reviewer", "test-writer", "doc-writer"),
        ("summarizer",),
        2.00,
        300,
    ),
    "enterprise": Profile("enterprise", (ALL,), (), (ALL,), (ALL,), 10.00, 600),
}


def _outside(asked: Iterable[str], allowed: tuple[str, ...]) -> list[str]:
    return [] if ALL in allowed else [name for name in asked if name not in allowed]


def profile_refusal(
    profile: Profile,
    *,
    tools: Iterable[str] = (),
    agents: Iterable[str] = (),
    skills: Iterable[str] = (),
    timeout: float | None = None,
    max_cost: float | None = None,
    max_cost_per_task: float | None = None,
) -> str | None:
    """Why `profile` may not run this request, or None when it may."""
    tools = list(tools)
    blocked = [name for name in tools if name in profile.blocked_tools]
    outside = blocked or _outside(tools, profile.allowed_tools)
    if outside:
        return f"tool(s) {', '.join(outside)} not allowed for profile {profile.name}"
    if refused := _outside(agents, profile.allowed_agents):
        return f"agent(s) {', '.join(refused)} not allowed for profile {profile.name}"
    if refused := _outside(skills, profile.allowed_skills):
        return f"skill(s) {', '.join(refused)} not allowed for profile {profile.name}"
    if timeout is not None and timeout > profile.max_timeout:
        return (
            f"timeout {timeout:g} s above the {profile.name} maximum of {profile.max_timeout:g} s"
        )
    cap = profile.max_cost_per_task if max_cost_per_task is None else max_cost_per_task
    if max_cost is not None and max_cost > cap:
        return f"max_cost {max_cost:g} USD above this key's maximum of {cap:g} USD per task"
    return None


def capabilities() -> dict[str, Any]:
    """The tools, agents and skills a task may ask for, and the profiles (`/v1/capabilities`)."""
    agents = [{"name": name, **info} for name, info in AGENTS.items()]
    skills = [{"name": name, **info} for name, info in SKILLS.items()]
    return {
        "tools": list(TOOLS),
        "agents": agents,
        "skills": skills,
        "total_agents": len(agents),
        "total_skills": len(skills),
        "profiles": {
            name: {
                "allowed_tools": list(p.allowed_tools),
                "blocked_tools": list(p.blocked_tools),
                "allowed_agents": list(p.allowed_agents),
                "allowed_skills": list(p.allowed_skills),
                "max_cost_per_task": p.max_cost_per_task,
                "max_timeout": p.max_timeout,
            }
            for name, p in PROFILES.items()
        },
    }
