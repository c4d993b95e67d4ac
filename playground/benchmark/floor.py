"""The floor: the least a relay can do, to measure the playground against.

A WebSocket server (the `websockets` library, no Django) that takes `{"model", "prompt"}`,
streams the reply from the endpoint with the raw SSE client, and sends every answer piece on
at once as `{"answer": text}`, then `{"done": chunks}`. No database, no templates, no
coalescing. Run as its own process, so its CPU is read the same way as the playground's:

    python -m playground.benchmark.floor --port 9001 --upstream http://127.0.0.1:9000/emulator/v1beta/openai/
"""

from __future__ import annotations

import argparse
import asyncio
import json

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from playground.benchmark.rawsse import SseConnection, answer_text

READY_LINE = "Floor relay listening"


async def relay_socket(socket: ServerConnection, upstream: str) -> None:
    connection = SseConnection(upstream)  # one kept-alive upstream connection per socket
    try:
        async for message in socket:
            request = json.loads(message)
            chunks = 0
            async for chunk in connection.chat_stream(
                model=request["model"], prompt=request["prompt"]
            ):
                chunks += 1
                if text := answer_text(chunk):
                    await socket.send(json.dumps({"answer": text}))
            await socket.send(json.dumps({"done": chunks}))
    except ConnectionClosed:
        pass  # the reader left (the benchmark's way to stop a reply)
    finally:
        await connection.close()


async def main(port: int, upstream: str) -> None:
    async with serve(
        lambda socket: relay_socket(socket, upstream),
        "127.0.0.1",
        port,
        compression=None,
        ping_interval=None,
    ) as server:
        print(f"{READY_LINE} on {port}", flush=True)
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", required=True)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.port, arguments.upstream))
