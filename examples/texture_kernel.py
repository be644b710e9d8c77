# SPDX-License-Identifier: Apache-2.0
"""A CUDA kernel on a Vulkan image, through surface and texture objects, with no copy.

    python examples/texture_kernel.py

A ``R32_SFLOAT`` Vulkan image (optimally tiled, so CUDA sees it as an array, not linear
memory) is filled by Vulkan, then imported and mapped into CUDA as a mipmapped array with
surface load/store (``image.map_to_cuda(surface_load_store=True)``). Two CuPy ``RawKernel``
launches use it:

1. through a surface object of level 0 (``level.create_surface_object()``; the kernel takes the
   ``cudaSurfaceObject_t`` as an ``unsigned long long``), each texel ``v`` at ``(x, y)`` becomes
   ``2 v + x - y``, read and written in place;
2. through a texture object over the array (``array.create_texture_object()``: point sampling,
   unnormalized coordinates, clamped), each texel is copied into a linear CuPy array.

Vulkan then downloads the image and checks every texel, and the texture's copy must equal it.
Each side finishes before the other starts (blocking Vulkan transfers, a synchronized CuPy
stream); in a frame loop a timeline semaphore orders them instead (see
``vulkan_compute_and_cuda.py``). Exits 0 after printing ``texture_kernel: OK``; exits 77 when
there is no CUDA GPU with a Vulkan driver, or no CuPy.
"""

from __future__ import annotations

import sys

import numpy as np

import cuda_interop as ci
from cuda_interop import vulkan
from cuda_interop.cli import EXIT_CANNOT_RUN  # 77: cannot run on this machine

WIDTH, HEIGHT = 640, 360

KERNELS = r"""
extern "C" __global__ void scale_in_place(unsigned long long surface_handle, int width,
                                          int height) {
    cudaSurfaceObject_t surface = (cudaSurfaceObject_t)surface_handle;
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x < width && y < height) {
        float v;
        surf2Dread(&v, surface, x * (int)sizeof(float), y);   // x in bytes for surfaces
        surf2Dwrite(2.0f * v + (float)(x - y), surface, x * (int)sizeof(float), y);
    }
}

extern "C" __global__ void sample(unsigned long long texture_handle, float* out, int width,
                                  int height) {
    cudaTextureObject_t texture = (cudaTextureObject_t)texture_handle;
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x < width && y < height) {
        // texel centres, level 0 of the mipmapped array
        out[y * width + x] = tex2DLod<float>(texture, x + 0.5f, y + 0.5f, 0.0f);
    }
}
"""


def main() -> int:
    try:
        import cupy
    except ImportError:
        print("texture_kernel: needs CuPy (pip install cupy-cuda12x or cupy-cuda13x)",
              file=sys.stderr)
        return EXIT_CANNOT_RUN
    try:
        ctx = vulkan.Context(0)  # the Vulkan device that is CUDA device 0
    except (ci.NotSupportedError, ci.CudaError) as error:
        print(f"texture_kernel: needs a CUDA GPU with a Vulkan driver: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN

    rng = np.random.default_rng(0)
    source = rng.integers(-1000, 1000, (HEIGHT, WIDTH)).astype(np.float32)
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH]
    expected = 2 * source + (xs - ys).astype(np.float32)

    with ctx, ctx.create_image("R32_SFLOAT", WIDTH, HEIGHT) as image:
        if not image.storage:
            print("texture_kernel: this driver cannot make R32_SFLOAT storage images",
                  file=sys.stderr)
            return EXIT_CANNOT_RUN
        assert image.level_shape(0) == (HEIGHT, WIDTH)
        image.upload(0, source)  # Vulkan writes the input (and waits for it)

        with image.map_to_cuda(surface_load_store=True) as array:
            level = array.level(0)
            assert level.shape == (HEIGHT, WIDTH) and level.dtype == np.float32
            cupy.cuda.Device(array.device).use()
            module = cupy.RawModule(code=KERNELS)
            stream = cupy.cuda.Stream(non_blocking=True)
            block = (16, 16)
            grid = ((WIDTH + 15) // 16, (HEIGHT + 15) // 16)
            sampled = cupy.empty((HEIGHT, WIDTH), dtype=cupy.float32)
            with level.create_surface_object() as surface, \
                    array.create_texture_object(address_mode="clamp") as texture:
                with stream:  # CuPy launches on the current stream
                    module.get_function("scale_in_place")(
                        grid, block,
                        (np.uint64(surface.handle), np.int32(WIDTH), np.int32(HEIGHT)))
                    # Same stream: the texture reads what the surface kernel wrote (a texture's
                    # cache is not coherent with surface writes within one launch; across
                    # launches it is).
                    module.get_function("sample")(
                        grid, block,
                        (np.uint64(texture.handle), sampled, np.int32(WIDTH), np.int32(HEIGHT)))
                stream.synchronize()  # before Vulkan reads, and before the objects are freed
            through_texture = cupy.asnumpy(sampled)

        through_vulkan = image.download(0)  # Vulkan reads what CUDA wrote

    if not np.array_equal(through_vulkan, expected):
        wrong = int(np.count_nonzero(through_vulkan != expected))
        print(f"texture_kernel: {wrong} texels differ in Vulkan's download", file=sys.stderr)
        return 1
    if not np.array_equal(through_texture, expected):
        wrong = int(np.count_nonzero(through_texture != expected))
        print(f"texture_kernel: {wrong} texels differ through the texture", file=sys.stderr)
        return 1
    print(f"texture_kernel: OK ({WIDTH}x{HEIGHT} texels written through a surface, read "
          "through a texture and by Vulkan)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
