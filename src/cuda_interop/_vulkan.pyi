"""
The Vulkan producer of cuda_interop: exportable memory, images and semaphores.
"""
from __future__ import annotations
import collections.abc
import cuda_interop._core
import typing
import typing_extensions
__all__: list[str] = ['Context', 'Features', 'Image', 'PhysicalDeviceInfo', 'Semaphore', 'VulkanBuffer', 'VulkanError', 'copy_buffer', 'copy_buffer_to_image', 'copy_image_to_buffer', 'download', 'download_image', 'fill', 'formats', 'physical_devices', 'upload', 'upload_image', 'uuid_to_string']
class Context:
    """
    Vulkan instance, device, queue and command pool.
    """
    def __init__(self, uuid: bytes | None = None, physical_device_index: typing.SupportsInt | typing.SupportsIndex | None = None) -> None:
        ...
    def close(self) -> None:
        ...
    def create_buffer(self, size: typing.SupportsInt | typing.SupportsIndex, dedicated: bool | None = None) -> VulkanBuffer:
        ...
    def create_image(self, format: str | typing.SupportsInt | typing.SupportsIndex, width: typing.SupportsInt | typing.SupportsIndex, height: typing.SupportsInt | typing.SupportsIndex, depth: typing.SupportsInt | typing.SupportsIndex, levels: typing.SupportsInt | typing.SupportsIndex, layers: typing.SupportsInt | typing.SupportsIndex, color_attachment: bool, dedicated: bool) -> Image:
        ...
    def create_semaphore(self, timeline: bool, initial_value: typing.Any, exportable: bool) -> Semaphore:
        ...
    def import_buffer_fd(self, fd: typing.SupportsInt | typing.SupportsIndex, size: typing.SupportsInt | typing.SupportsIndex, allocation_size: typing.SupportsInt | typing.SupportsIndex, memory_type_index: typing.SupportsInt | typing.SupportsIndex, dedicated: bool) -> VulkanBuffer:
        ...
    def submit(self, waits: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]], signals: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]], block: bool, timeout: typing.SupportsFloat | typing.SupportsIndex | None = None) -> None:
        ...
    def wait_idle(self, timeout: typing.SupportsFloat | typing.SupportsIndex | None = None) -> bool:
        """
        Waits for all work submitted; False on timeout.
        """
    @property
    def closed(self) -> bool:
        ...
    @property
    def features(self) -> Features:
        ...
    @property
    def physical_device(self) -> PhysicalDeviceInfo:
        ...
class Features:
    """
    What the logical device was created with.
    """
    @property
    def api_version(self) -> int:
        ...
    @property
    def dedicated_allocation(self) -> bool:
        ...
    @property
    def external_memory_fd(self) -> bool:
        ...
    @property
    def external_memory_win32(self) -> bool:
        ...
    @property
    def external_semaphore_fd(self) -> bool:
        ...
    @property
    def external_semaphore_win32(self) -> bool:
        ...
    @property
    def timeline_semaphore(self) -> bool:
        ...
class Image:
    """
    An exportable optimally tiled Vulkan image in GENERAL layout.
    """
    def close(self) -> None:
        ...
    def export_fd(self) -> int:
        """
        A new file descriptor that the caller owns and must close.
        """
    def export_share(self) -> cuda_interop._core.MemoryShare:
        """
        A share descriptor for CUDA (a new handle the descriptor owns).
        """
    def export_win32(self) -> int:
        """
        A new NT handle that the caller owns and must close.
        """
    def level_extent(self, level: typing.SupportsInt | typing.SupportsIndex) -> typing.Annotated[list[int], "FixedSize(3)"]:
        ...
    def level_size(self, level: typing.SupportsInt | typing.SupportsIndex) -> int:
        ...
    @property
    def allocation_size(self) -> int:
        ...
    @property
    def channels(self) -> int:
        ...
    @property
    def closed(self) -> bool:
        ...
    @property
    def color_attachment(self) -> bool:
        ...
    @property
    def component(self) -> str:
        ...
    @property
    def dedicated(self) -> bool:
        ...
    @property
    def depth(self) -> int:
        ...
    @property
    def format(self) -> str:
        ...
    @property
    def height(self) -> int:
        ...
    @property
    def is_3d(self) -> bool:
        ...
    @property
    def layers(self) -> int:
        ...
    @property
    def levels(self) -> int:
        ...
    @property
    def memory_type_index(self) -> int:
        ...
    @property
    def sampled(self) -> bool:
        ...
    @property
    def storage(self) -> bool:
        ...
    @property
    def texel_size(self) -> int:
        ...
    @property
    def vk_format(self) -> int:
        ...
    @property
    def width(self) -> int:
        ...
class PhysicalDeviceInfo:
    """
    A Vulkan physical device.
    """
    @property
    def api_version(self) -> int:
        ...
    @property
    def device_id(self) -> int:
        ...
    @property
    def device_type(self) -> str:
        ...
    @property
    def driver_info(self) -> str:
        ...
    @property
    def driver_name(self) -> str:
        ...
    @property
    def driver_uuid(self) -> bytes:
        ...
    @property
    def driver_version(self) -> int:
        ...
    @property
    def index(self) -> int:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def uuid(self) -> bytes:
        ...
    @property
    def vendor_id(self) -> int:
        ...
class Semaphore:
    """
    A binary or timeline Vulkan semaphore.
    """
    def close(self) -> None:
        ...
    def export_fd(self) -> int:
        """
        A new file descriptor that the caller owns and must close.
        """
    def export_share(self) -> cuda_interop._core.SemaphoreShare:
        """
        A share descriptor for CUDA (a new handle the descriptor owns).
        """
    def export_win32(self) -> int:
        """
        A new NT handle that the caller owns and must close.
        """
    def signal(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def wait(self, value: typing.SupportsInt | typing.SupportsIndex, timeout: typing.SupportsFloat | typing.SupportsIndex | None = None) -> bool:
        """
        Waits on the host (interruptibly) for `value` or a binary signal; False on timeout.
        """
    @property
    def closed(self) -> bool:
        ...
    @property
    def exportable(self) -> bool:
        ...
    @property
    def timeline(self) -> bool:
        ...
    @property
    def value(self) -> int:
        ...
class VulkanBuffer:
    """
    An exportable Vulkan buffer with its own memory.
    """
    def close(self) -> None:
        ...
    def export_fd(self) -> int:
        """
        A new file descriptor that the caller owns and must close.
        """
    def export_share(self) -> cuda_interop._core.MemoryShare:
        """
        A share descriptor for CUDA (a new handle the descriptor owns).
        """
    def export_win32(self) -> int:
        """
        A new NT handle that the caller owns and must close.
        """
    @property
    def allocation_size(self) -> int:
        ...
    @property
    def closed(self) -> bool:
        ...
    @property
    def dedicated(self) -> bool:
        ...
    @property
    def imported(self) -> bool:
        ...
    @property
    def memory_type_index(self) -> int:
        ...
    @property
    def size(self) -> int:
        ...
class VulkanError(cuda_interop._core.Error, RuntimeError):
    """
    A Vulkan call failed. Attributes: result (int), result_name (str), call (str).
    """
    @property
    def call(self) -> str:
        """
        The Vulkan function that failed, e.g. "vkQueueSubmit".
        """
    @property
    def result(self) -> int:
        """
        The VkResult, e.g. -4.
        """
    @property
    def result_name(self) -> str:
        """
        The VkResult's name, e.g. "VK_ERROR_DEVICE_LOST".
        """
def copy_buffer(source: VulkanBuffer, destination: VulkanBuffer, size: typing.SupportsInt | typing.SupportsIndex | None = None, source_offset: typing.SupportsInt | typing.SupportsIndex = 0, destination_offset: typing.SupportsInt | typing.SupportsIndex = 0, waits: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]] = [], signals: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]] = [], block: bool = True, timeout: typing.SupportsFloat | typing.SupportsIndex | None = None) -> None:
    ...
def copy_buffer_to_image(source: VulkanBuffer, destination: Image, level: typing.SupportsInt | typing.SupportsIndex, source_offset: typing.SupportsInt | typing.SupportsIndex = 0, waits: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]] = [], signals: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]] = [], block: bool = True, timeout: typing.SupportsFloat | typing.SupportsIndex | None = None) -> None:
    ...
def copy_image_to_buffer(source: Image, level: typing.SupportsInt | typing.SupportsIndex, destination: VulkanBuffer, destination_offset: typing.SupportsInt | typing.SupportsIndex = 0, waits: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]] = [], signals: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]] = [], block: bool = True, timeout: typing.SupportsFloat | typing.SupportsIndex | None = None) -> None:
    ...
def download(buffer: VulkanBuffer, out: typing.Any = None, offset: typing.SupportsInt | typing.SupportsIndex = 0, size: typing.SupportsInt | typing.SupportsIndex | None = None, waits: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]] = [], signals: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]] = [], timeout: typing.SupportsFloat | typing.SupportsIndex | None = None) -> typing.Any:
    ...
def download_image(image: Image, level: typing.SupportsInt | typing.SupportsIndex, out: typing_extensions.Buffer, waits: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]] = [], signals: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]] = [], timeout: typing.SupportsFloat | typing.SupportsIndex | None = None) -> None:
    ...
def fill(buffer: VulkanBuffer, value: typing.SupportsInt | typing.SupportsIndex, offset: typing.SupportsInt | typing.SupportsIndex = 0, size: typing.SupportsInt | typing.SupportsIndex | None = None, waits: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]] = [], signals: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]] = [], block: bool = True, timeout: typing.SupportsFloat | typing.SupportsIndex | None = None) -> None:
    ...
def formats() -> list[str]:
    """
    Names of the image formats this producer creates.
    """
def physical_devices() -> list[PhysicalDeviceInfo]:
    """
    Every Vulkan physical device, in enumeration order.
    """
def upload(buffer: VulkanBuffer, data: typing_extensions.Buffer, offset: typing.SupportsInt | typing.SupportsIndex = 0, waits: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]] = [], signals: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]] = [], block: bool = True, timeout: typing.SupportsFloat | typing.SupportsIndex | None = None) -> None:
    ...
def upload_image(image: Image, level: typing.SupportsInt | typing.SupportsIndex, data: typing_extensions.Buffer, waits: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]] = [], signals: collections.abc.Sequence[tuple[Semaphore, typing.SupportsInt | typing.SupportsIndex]] = [], block: bool = True, timeout: typing.SupportsFloat | typing.SupportsIndex | None = None) -> None:
    ...
def uuid_to_string(arg0: str) -> str:
    ...
