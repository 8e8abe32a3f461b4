"""Per-person flood limits: a leaky bucket per user, in this process or shared through Redis.

Each update adds 1 to the person's level, which drains at `rate` a second. Above `burst` the
person is throttled: the update that crossed it gets a notice, the following ones are dropped.
The level stops rising at `cap`, so however long a flood was, the person is served again once
they have been quiet long enough for the level to drain to `release`: (cap - release) / rate
seconds after the flood stops (10 s with the defaults).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from redis.asyncio import Redis


class Verdict(Enum):
    PASS = 0  # handle it
    NOTICE = 1  # the flood starts: tell the person once, do not handle
    DROP = 2  # still flooding: silence


@dataclass(frozen=True, slots=True)
class FloodLimits:
    """A person may send `burst` updates at once, then `rate` a second on average."""

    rate: float = 1.0
    burst: float = 20.0  # a visit (start, onboarding, catalogue, booking) is ~15 quick steps
    cap: float = 25.0
    release: float = 15.0

    def __post_init__(self) -> None:
        if not (0 < self.release < self.burst <= self.cap and self.rate > 0):
            raise ValueError("expected 0 < release < burst <= cap and rate > 0")


class FloodGate(Protocol):
    async def hit(self, user_id: int) -> Verdict: ...


@dataclass(slots=True)
class _Bucket:
    level: float
    at: float
    throttled: bool


def step(limits: FloodLimits, bucket: _Bucket, now: float) -> Verdict:
    """One update from the bucket's person at `now` (the same rule as the Redis script)."""
    drained = max(0.0, bucket.level - max(0.0, now - bucket.at) * limits.rate)
    if bucket.throttled and drained <= limits.release:
        bucket.throttled = False  # quiet long enough: the flood is over
    bucket.level = min(drained + 1.0, limits.cap)
    bucket.at = now
    if bucket.throttled:
        return Verdict.DROP
    if bucket.level > limits.burst:
        bucket.throttled = True
        return Verdict.NOTICE
    return Verdict.PASS


class MemoryFloodGate:
    """Buckets in this process (one instance, or instances that each see every update of a
    person). Buckets that drained are swept once a minute."""

    SWEEP_EVERY = 60.0

    def __init__(
        self, limits: FloodLimits | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or FloodLimits()
        self.clock = clock
        self.buckets: dict[int, _Bucket] = {}
        self._swept = clock()

    async def hit(self, user_id: int) -> Verdict:
        return self.hit_now(user_id)

    def hit_now(self, user_id: int) -> Verdict:
        now = self.clock()
        bucket = self.buckets.get(user_id)
        if bucket is None:
            bucket = self.buckets[user_id] = _Bucket(0.0, now, False)
        verdict = step(self.limits, bucket, now)
        if now - self._swept > self.SWEEP_EVERY:
            self._sweep(now)
        return verdict

    def _sweep(self, now: float) -> None:
        self._swept = now
        empty_after = self.limits.cap / self.limits.rate
        stale = [user for user, b in self.buckets.items() if now - b.at > empty_after]
        for user in stale:
            del self.buckets[user]


# The same rule as `step`, atomically in Redis: KEYS[1] the person's hash (l level, t time,
# x throttled); ARGV now, rate, burst, cap, release, ttl (ms). Returns the Verdict's value.
_SCRIPT = """
local now, rate = tonumber(ARGV[1]), tonumber(ARGV[2])
local burst, cap, release = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local state = redis.call('HMGET', KEYS[1], 'l', 't', 'x')
local level, at, throttled = tonumber(state[1]) or 0, tonumber(state[2]) or now, state[3] == '1'
local drained = math.max(0, level - math.max(0, now - at) * rate)
if throttled and drained <= release then throttled = false end
level = math.min(drained + 1, cap)
local verdict = 0
if throttled then
  verdict = 2
elseif level > burst then
  throttled = true
  verdict = 1
end
redis.call('HSET', KEYS[1], 'l', tostring(level), 't', tostring(now), 'x', throttled and '1' or '0')
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return verdict
"""


class RedisFloodGate:
    """Buckets in Redis, shared by every instance (REDIS_URL set): a balancer spreads one
    person's updates over the instances, which would otherwise each allow a burst and each
    send a notice. One script call per update; keys expire once drained."""

    PREFIX = "flood:"

    def __init__(
        self,
        redis: Redis,
        limits: FloodLimits | None = None,
        clock: Callable[[], float] = time.time,  # shared by processes: wall-clock time
    ) -> None:
        self.limits = limits or FloodLimits()
        self.clock = clock
        self.script = redis.register_script(_SCRIPT)
        self.ttl_ms = int(self.limits.cap / self.limits.rate * 1000) + 1000

    async def hit(self, user_id: int) -> Verdict:
        limits = self.limits
        verdict = await self.script(
            keys=[f"{self.PREFIX}{user_id}"],
            args=[
                repr(self.clock()),
                repr(limits.rate),
                repr(limits.burst),
                repr(limits.cap),
                repr(limits.release),
                self.ttl_ms,
            ],
        )
        return Verdict(int(verdict))
