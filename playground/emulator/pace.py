"""How fast the emulator answers: first-token delay, token rate, thinking time, service tier."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

# Service tier -> (first-token delay factor, token rate factor). Flex waits for spare capacity,
# priority jumps the queue.
TIER_FACTORS = {"flex": (3.0, 0.6), "priority": (0.5, 1.5)}
# Thinking runs this many times faster than visible tokens stream: real models think thousands
# of tokens in seconds, and a demo should not stall for a minute at "high".
THINKING_SPEEDUP = 40.0
THINKING_MAX_SECONDS = 8.0


@dataclass(frozen=True, slots=True)
class Pace:
    first_token_seconds: float
    tokens_per_second: float  # 0 means instant

    def seconds_for(self, tokens: int) -> float:
        if self.tokens_per_second <= 0:
            return 0.0
        return tokens / self.tokens_per_second

    def thinking_seconds(self, thinking_tokens: int) -> float:
        """Grows with the thinking tokens; nothing at instant pace."""
        if self.tokens_per_second <= 0:
            return 0.0
        seconds = thinking_tokens / (self.tokens_per_second * THINKING_SPEEDUP)
        return min(THINKING_MAX_SECONDS, seconds)


def pace_for(service_tier: str | None) -> Pace:
    """Read at request time, so a changed setting (or a test override) applies at once."""
    delay_factor, rate_factor = TIER_FACTORS.get(service_tier or "default", (1.0, 1.0))
    return Pace(
        first_token_seconds=settings.EMULATOR_TTFT_MS / 1000 * delay_factor,
        tokens_per_second=settings.EMULATOR_TOKENS_PER_SECOND * rate_factor,
    )
