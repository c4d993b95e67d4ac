"""A reply is stopped by its key from code that did not start it."""

from __future__ import annotations

import asyncio

from playground.runs.stopping import reply_stop, running, stoppable


async def test_a_stop_by_key_cancels_the_running_reply_and_only_it() -> None:
    entered = asyncio.Event()

    async def reply(key: str) -> str:
        try:
            async with stoppable(key):
                entered.set()
                await asyncio.sleep(30)
        except asyncio.CancelledError:
            return "stopped"
        return "finished"

    first = asyncio.create_task(reply("t1"))
    second = asyncio.create_task(reply("t2"))
    await entered.wait()
    await asyncio.sleep(0)
    assert await reply_stop(key="t1") is True
    assert await asyncio.wait_for(first, 1) == "stopped"
    assert not second.done()
    second.cancel()
    await asyncio.gather(second, return_exceptions=True)
    assert "t1" not in running and "t2" not in running, "the registry forgets finished replies"
    assert await reply_stop(key="t1") is False, "nothing runs under t1 any more"


async def test_with_a_channel_layer_the_stop_reaches_a_reply_in_another_worker(settings) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    entered = asyncio.Event()

    async def reply() -> str:
        try:
            async with stoppable("p7"):
                entered.set()
                await asyncio.sleep(30)
        except asyncio.CancelledError:
            return "stopped"
        return "finished"

    task = asyncio.create_task(reply())
    await entered.wait()
    # Seen from another worker: the reply is not in this process's registry.
    elsewhere = running.pop("p7")
    assert await reply_stop(key="p7") is False
    assert await asyncio.wait_for(task, 2) == "stopped"
    assert elsewhere is task
