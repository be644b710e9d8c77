# SPDX-License-Identifier: Apache-2.0
"""GL frame to PyTorch, per frame, at 1080p and 4K: the ways this package offers against what
users do today. Needs an NVIDIA GPU, moderngl (headless EGL) and PyTorch.

    python benchmarks/opengl_handoff.py [--frames N] [--sizes 1920x1080 3840x2160]

Each frame: GL draws a full-screen triangle into an RGBA8 framebuffer, the frame reaches a
PyTorch tensor on the GPU, and PyTorch reduces it (``sum``); the time is the mean per frame over
`--frames` frames after a warm-up, with ``torch.cuda.synchronize()`` at the end of each frame.

(a) registered texture: map on PyTorch's stream, copy level 0 into a tensor (``cudaMemcpy3D``),
    unmap.
(a') registered pixel buffer: ``glReadPixels`` into a GL buffer (on the GPU), map, a zero-copy
    tensor over it (DLPack), unmap.
(b) frame ring: ``glReadPixels`` into the ring slot's buffer (Vulkan memory imported into GL),
    GL signals a timeline, CUDA waits on the GPU (``frames.FrameRing`` + ``opengl.FrameProducer``;
    needs GL_NV_timeline_semaphore).
(c) today: ``glReadPixels`` to host memory, ``torch.tensor(...).cuda()``.
Prints a Markdown table; ratios are (c) ÷ each.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any, Callable

VERTEX = """#version 330
void main() { vec2 p = vec2((gl_VertexID << 1) & 2, gl_VertexID & 2);
              gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0); }"""
FRAGMENT = """#version 330
uniform int frame; out vec4 color;
void main() { ivec2 p = ivec2(gl_FragCoord.xy);
              color = vec4(float((p.x + frame) & 255), float(p.y & 255), 0.0, 255.0) / 255.0; }"""


class Scene:
    """One framebuffer of `width` x `height` and the draw that fills it."""

    def __init__(self, gl: Any, width: int, height: int) -> None:
        self.gl, self.width, self.height = gl, width, height
        self.color = gl.texture((width, height), 4)
        self.framebuffer = gl.framebuffer([self.color])
        self.program = gl.program(vertex_shader=VERTEX, fragment_shader=FRAGMENT)
        self.triangle = gl.vertex_array(self.program, [])
        self.nbytes = width * height * 4

    def draw(self, number: int) -> None:
        self.framebuffer.use()
        self.program["frame"] = number
        self.triangle.render(vertices=3)

    def release(self) -> None:
        for item in (self.triangle, self.program, self.framebuffer, self.color):
            item.release()


def _time(frames: int, step: Callable[[int], None], torch: Any) -> float:
    for number in range(5):
        step(number)
    torch.cuda.synchronize()
    start = time.perf_counter()
    for number in range(frames):
        step(number)
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / frames * 1e3


def measure(gl: Any, torch: Any, width: int, height: int, frames: int) -> dict[str, float | str]:
    from cuda_interop import frames as ring_frames
    from cuda_interop import opengl, vulkan

    scene = Scene(gl, width, height)
    stream = torch.cuda.current_stream()
    out = torch.empty((height, width, 4), dtype=torch.uint8, device="cuda")
    results: dict[str, float | str] = {}

    texture = opengl.register_texture(scene.color, read_only=True)

    def registered_texture(number: int) -> None:
        scene.draw(number)
        with texture.map(stream) as mapping:
            mapping.array().level(0).copy_to_device(out.data_ptr(), scene.nbytes)
        out.sum()

    results["a"] = _time(frames, registered_texture, torch)
    texture.close()

    pixels = gl.buffer(reserve=scene.nbytes)
    buffer = opengl.register_buffer(pixels, read_only=True)

    def registered_buffer(number: int) -> None:
        scene.draw(number)
        scene.framebuffer.read_into(pixels, components=4)
        with buffer.map(stream) as mapping:
            torch.from_dlpack(mapping.buffer()).sum()

    results["a2"] = _time(frames, registered_buffer, torch)
    buffer.close()
    pixels.release()

    if opengl.current_context().timeline_semaphores:
        with vulkan.Context(0) as vk:
            producer = opengl.FrameProducer(vk)
            with ring_frames.FrameRing(producer, scene.nbytes, slots=3) as ring:
                wrapped = {b.name: gl.external_buffer(b.name, scene.nbytes)
                           for b in ring._writer.buffers}

                def frame_ring(number: int) -> None:
                    slot = ring.begin_write()
                    scene.draw(number)
                    producer.wait(slot)
                    scene.framebuffer.read_into(wrapped[slot.buffer.name], components=4)
                    producer.signal(slot)
                    torch.from_dlpack(ring.read(stream)).sum()
                    ring.release(stream)

                results["b"] = _time(frames, frame_ring, torch)
    else:
        results["b"] = "no GL_NV_timeline_semaphore"

    def via_host(number: int) -> None:
        scene.draw(number)
        data = scene.framebuffer.read(components=4)
        torch.frombuffer(bytearray(data), dtype=torch.uint8).cuda().sum()

    results["c"] = _time(frames, via_host, torch)
    scene.release()
    return results


def _cell(results: dict[str, float | str], key: str) -> str:
    value = results[key]
    return f"{value:.3f} ms" if isinstance(value, float) else str(value)


def _ratio(results: dict[str, float | str], key: str) -> str:
    value, host = results[key], results["c"]
    if isinstance(value, float) and isinstance(host, float):
        return f"{host / value:.1f}x"
    return "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--sizes", nargs="+", default=["1920x1080", "3840x2160"])
    args = parser.parse_args()
    try:
        import moderngl
        import torch

        from cuda_interop import opengl
        gl = moderngl.create_context(standalone=True, backend="egl", libgl="libGL.so.1",
                                     libegl="libEGL.so.1")
        if "NVIDIA" not in opengl.current_context().vendor:
            raise RuntimeError("the OpenGL context is not on an NVIDIA GPU")
    except Exception as error:
        print(f"opengl_handoff needs PyTorch, moderngl and an NVIDIA GL context: {error}",
              file=sys.stderr)
        return 2
    info = opengl.current_context()
    print(f"GL: {info.renderer}, {info.version}; torch {torch.__version__}; "
          f"{args.frames} frames per row\n")
    print("| Size | (a) registered texture | (a') registered PBO | (b) frame ring | "
          "(c) via host | (c)/(a) | (c)/(a') | (c)/(b) |")
    print("|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        width, height = (int(v) for v in size.split("x"))
        r = measure(gl, torch, width, height, args.frames)
        print(f"| {size} | {_cell(r, 'a')} | {_cell(r, 'a2')} | {_cell(r, 'b')} | "
              f"{_cell(r, 'c')} | {_ratio(r, 'a')} | {_ratio(r, 'a2')} | {_ratio(r, 'b')} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
