"""
CUDA external-resource interop: the native core of cuda_interop.
"""
from __future__ import annotations
import collections.abc
import typing
import typing_extensions
__all__: list[str] = ['ArrayFlags', 'ArrayLevel', 'ArrayObject', 'ChannelKind', 'ClosedError', 'CudaError', 'DeviceInfo', 'DeviceSpan', 'ExternalMemory', 'ExternalSemaphore', 'FrameSchedule', 'ImageLayout', 'MappedMipmappedArray', 'MemoryHandleType', 'MemoryShare', 'NotSupportedError', 'PixelFormat', 'SemaphoreHandleType', 'SemaphoreKind', 'SemaphoreShare', 'SharedAllocation', 'all_devices', 'current_device', 'device_count', 'device_from_luid', 'device_from_uuid', 'device_info', 'dlpack', 'driver_entry_points', 'driver_version', 'find_pixel_format', 'integer', 'kind_of', 'max_mip_levels', 'memory_info', 'minimum_driver_version', 'pixel_format', 'pixel_format_from_dxgi', 'pixel_format_from_vk', 'pixel_formats', 'runtime_version', 'semaphore_value', 'signal_semaphores', 'wait_semaphores']
class ArrayFlags:
    """
    cudaArray* flags a mapping accepts.
    
    Members:
    
      LAYERED
    
      SURFACE_LOAD_STORE
    
      CUBEMAP
    
      TEXTURE_GATHER
    
      COLOR_ATTACHMENT
    """
    COLOR_ATTACHMENT: typing.ClassVar[ArrayFlags]  # value = <ArrayFlags.COLOR_ATTACHMENT: 32>
    CUBEMAP: typing.ClassVar[ArrayFlags]  # value = <ArrayFlags.CUBEMAP: 4>
    LAYERED: typing.ClassVar[ArrayFlags]  # value = <ArrayFlags.LAYERED: 1>
    SURFACE_LOAD_STORE: typing.ClassVar[ArrayFlags]  # value = <ArrayFlags.SURFACE_LOAD_STORE: 2>
    TEXTURE_GATHER: typing.ClassVar[ArrayFlags]  # value = <ArrayFlags.TEXTURE_GATHER: 8>
    __members__: typing.ClassVar[dict[str, ArrayFlags]]  # value = {'LAYERED': <ArrayFlags.LAYERED: 1>, 'SURFACE_LOAD_STORE': <ArrayFlags.SURFACE_LOAD_STORE: 2>, 'CUBEMAP': <ArrayFlags.CUBEMAP: 4>, 'TEXTURE_GATHER': <ArrayFlags.TEXTURE_GATHER: 8>, 'COLOR_ATTACHMENT': <ArrayFlags.COLOR_ATTACHMENT: 32>}
    @typing.overload
    def __and__(self, other: ArrayFlags) -> int:
        ...
    @typing.overload
    def __and__(self, other: typing.SupportsInt | typing.SupportsIndex) -> int:
        ...
    @typing.overload
    def __eq__(self, other: ArrayFlags) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: typing.SupportsInt | typing.SupportsIndex) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: typing.Any) -> bool:
        ...
    @typing.overload
    def __ge__(self, other: ArrayFlags) -> bool:
        ...
    @typing.overload
    def __ge__(self, other: typing.SupportsInt | typing.SupportsIndex) -> bool:
        ...
    def __getstate__(self) -> int:
        ...
    @typing.overload
    def __gt__(self, other: ArrayFlags) -> bool:
        ...
    @typing.overload
    def __gt__(self, other: typing.SupportsInt | typing.SupportsIndex) -> bool:
        ...
    def __hash__(self) -> int:
        ...
    def __index__(self) -> int:
        ...
    def __init__(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __int__(self) -> int:
        ...
    def __invert__(self) -> typing.Any:
        ...
    @typing.overload
    def __le__(self, other: ArrayFlags) -> bool:
        ...
    @typing.overload
    def __le__(self, other: typing.SupportsInt | typing.SupportsIndex) -> bool:
        ...
    @typing.overload
    def __lt__(self, other: ArrayFlags) -> bool:
        ...
    @typing.overload
    def __lt__(self, other: typing.SupportsInt | typing.SupportsIndex) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: ArrayFlags) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: typing.SupportsInt | typing.SupportsIndex) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: typing.Any) -> bool:
        ...
    @typing.overload
    def __or__(self, other: ArrayFlags) -> int:
        ...
    @typing.overload
    def __or__(self, other: typing.SupportsInt | typing.SupportsIndex) -> int:
        ...
    @typing.overload
    def __rand__(self, other: ArrayFlags) -> int:
        ...
    @typing.overload
    def __rand__(self, other: typing.SupportsInt | typing.SupportsIndex) -> int:
        ...
    def __repr__(self) -> str:
        ...
    @typing.overload
    def __ror__(self, other: ArrayFlags) -> int:
        ...
    @typing.overload
    def __ror__(self, other: typing.SupportsInt | typing.SupportsIndex) -> int:
        ...
    @typing.overload
    def __rxor__(self, other: ArrayFlags) -> int:
        ...
    @typing.overload
    def __rxor__(self, other: typing.SupportsInt | typing.SupportsIndex) -> int:
        ...
    def __setstate__(self, state: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __str__(self) -> str:
        ...
    @typing.overload
    def __xor__(self, other: ArrayFlags) -> int:
        ...
    @typing.overload
    def __xor__(self, other: typing.SupportsInt | typing.SupportsIndex) -> int:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def value(self) -> int:
        ...
class ArrayLevel:
    """
    One level (cudaArray_t) of a mipmapped array.
    """
    def copy_from_device(self, source: typing.SupportsInt | typing.SupportsIndex, size: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def copy_from_host(self, source: typing_extensions.Buffer) -> None:
        ...
    def copy_to_device(self, destination: typing.SupportsInt | typing.SupportsIndex, size: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def copy_to_host(self, destination: typing_extensions.Buffer) -> None:
        ...
    def create_surface_object(self) -> ArrayObject:
        ...
    @property
    def byte_size(self) -> int:
        ...
    @property
    def extent(self) -> tuple[int, int, int]:
        ...
    @property
    def index(self) -> int:
        ...
    @property
    def native_handle(self) -> int:
        ...
class ArrayObject:
    """
    Owner of a CUDA surface or texture object.
    """
    def close(self) -> None:
        ...
    @property
    def closed(self) -> bool:
        ...
    @property
    def handle(self) -> int:
        ...
class ChannelKind:
    """
    cudaChannelFormatKind.
    
    Members:
    
      SIGNED
    
      UNSIGNED
    
      FLOAT
    """
    FLOAT: typing.ClassVar[ChannelKind]  # value = <ChannelKind.FLOAT: 2>
    SIGNED: typing.ClassVar[ChannelKind]  # value = <ChannelKind.SIGNED: 0>
    UNSIGNED: typing.ClassVar[ChannelKind]  # value = <ChannelKind.UNSIGNED: 1>
    __members__: typing.ClassVar[dict[str, ChannelKind]]  # value = {'SIGNED': <ChannelKind.SIGNED: 0>, 'UNSIGNED': <ChannelKind.UNSIGNED: 1>, 'FLOAT': <ChannelKind.FLOAT: 2>}
    @typing.overload
    def __eq__(self, other: ChannelKind) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: typing.Any) -> bool:
        ...
    def __getstate__(self) -> int:
        ...
    def __hash__(self) -> int:
        ...
    def __index__(self) -> int:
        ...
    def __init__(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __int__(self) -> int:
        ...
    @typing.overload
    def __ne__(self, other: ChannelKind) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: typing.Any) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, state: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __str__(self) -> str:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def value(self) -> int:
        ...
class ClosedError(ValueError):
    """
    The object was closed; like I/O on a closed file.
    """
class CudaError(RuntimeError):
    """
    A CUDA call failed. Attributes: code (int), name (str), call (str).
    """
class DeviceInfo:
    """
    A CUDA device as the runtime describes it.
    """
    @property
    def compute_capability_major(self) -> int:
        ...
    @property
    def compute_capability_minor(self) -> int:
        ...
    @property
    def luid(self) -> typing.Any:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def node_mask(self) -> int:
        ...
    @property
    def ordinal(self) -> int:
        ...
    @property
    def pci_bus(self) -> int:
        ...
    @property
    def pci_device(self) -> int:
        ...
    @property
    def pci_domain(self) -> int:
        ...
    @property
    def total_memory(self) -> int:
        ...
    @property
    def uuid(self) -> bytes:
        ...
class DeviceSpan:
    """
    Linear device memory (pointer, size, device) with the owner that keeps it valid. Copies share the owner.
    """
    def close(self) -> None:
        """
        Drops this owner's reference; idempotent. The memory stays valid while another owner is open.
        """
    def copy_from_host(self, source: typing_extensions.Buffer, offset: typing.SupportsInt | typing.SupportsIndex, stream: typing.SupportsInt | typing.SupportsIndex | None = None) -> None:
        """
        Copies the bytes of a contiguous host buffer to [offset, offset + its size): synchronous without a stream; with one, ordered after its work and complete on return.
        """
    def copy_to_host(self, destination: typing_extensions.Buffer, offset: typing.SupportsInt | typing.SupportsIndex, stream: typing.SupportsInt | typing.SupportsIndex | None = None) -> None:
        """
        Copies [offset, offset + its size) into a writable contiguous host buffer: synchronous without a stream; with one, ordered after its work and complete on return.
        """
    def fill(self, value: typing.SupportsInt | typing.SupportsIndex, offset: typing.SupportsInt | typing.SupportsIndex, size: typing.SupportsInt | typing.SupportsIndex, stream: typing.SupportsInt | typing.SupportsIndex | None = None) -> None:
        """
        Sets every byte of [offset, offset + size) to `value` (0-255): synchronous without a stream, enqueued on it otherwise.
        """
    def share(self) -> DeviceSpan:
        """
        Another owner of the same memory (it stays valid while any owner is open).
        """
    def subspan(self, offset: typing.SupportsInt | typing.SupportsIndex, size: typing.SupportsInt | typing.SupportsIndex) -> DeviceSpan:
        """
        [offset, offset + size); size 0 means the rest.
        """
    @property
    def closed(self) -> bool:
        """
        True once close() has been called on this owner.
        """
    @property
    def device(self) -> int:
        """
        Ordinal of the CUDA device the memory is on.
        """
    @property
    def ptr(self) -> int:
        """
        Device address of the first byte.
        """
    @property
    def size(self) -> int:
        """
        Size in bytes.
        """
class ExternalMemory:
    """
    Owner of a cudaExternalMemory_t.
    """
    @staticmethod
    def import_fd(fd: typing.SupportsInt | typing.SupportsIndex, size: typing.SupportsInt | typing.SupportsIndex, dedicated: bool, device: typing.SupportsInt | typing.SupportsIndex, take_ownership: bool) -> ExternalMemory:
        ...
    @staticmethod
    def import_nvscibuf(object: typing.SupportsInt | typing.SupportsIndex, size: typing.SupportsInt | typing.SupportsIndex, device: typing.SupportsInt | typing.SupportsIndex) -> ExternalMemory:
        ...
    @staticmethod
    def import_share(share: MemoryShare, device: typing.SupportsInt | typing.SupportsIndex) -> ExternalMemory:
        ...
    @staticmethod
    def import_win32_handle(type: MemoryHandleType, handle: typing.SupportsInt | typing.SupportsIndex, size: typing.SupportsInt | typing.SupportsIndex, dedicated: bool, device: typing.SupportsInt | typing.SupportsIndex, take_ownership: bool) -> ExternalMemory:
        ...
    @staticmethod
    def import_win32_name(type: MemoryHandleType, name: str, size: typing.SupportsInt | typing.SupportsIndex, dedicated: bool, device: typing.SupportsInt | typing.SupportsIndex) -> ExternalMemory:
        ...
    def close(self) -> None:
        ...
    def map_buffer(self, offset: typing.SupportsInt | typing.SupportsIndex, size: typing.SupportsInt | typing.SupportsIndex) -> DeviceSpan:
        """
        A view of [offset, offset + size) of the whole mapping (made once); size 0: the rest.
        """
    def map_mipmapped_array(self, layout: ImageLayout) -> MappedMipmappedArray:
        ...
    @property
    def closed(self) -> bool:
        ...
    @property
    def dedicated(self) -> bool:
        ...
    @property
    def device(self) -> int:
        ...
    @property
    def handle_type(self) -> MemoryHandleType:
        ...
    @property
    def image(self) -> ImageLayout | None:
        ...
    @property
    def native_handle(self) -> int:
        ...
    @property
    def size(self) -> int:
        ...
class ExternalSemaphore:
    """
    Owner of a cudaExternalSemaphore_t.
    """
    @staticmethod
    def import_fd(type: SemaphoreHandleType, fd: typing.SupportsInt | typing.SupportsIndex, device: typing.SupportsInt | typing.SupportsIndex, take_ownership: bool) -> ExternalSemaphore:
        ...
    @staticmethod
    def import_nvscisync(object: typing.SupportsInt | typing.SupportsIndex, device: typing.SupportsInt | typing.SupportsIndex) -> ExternalSemaphore:
        ...
    @staticmethod
    def import_share(share: SemaphoreShare, device: typing.SupportsInt | typing.SupportsIndex) -> ExternalSemaphore:
        ...
    @staticmethod
    def import_win32_handle(type: SemaphoreHandleType, handle: typing.SupportsInt | typing.SupportsIndex, device: typing.SupportsInt | typing.SupportsIndex, take_ownership: bool) -> ExternalSemaphore:
        ...
    @staticmethod
    def import_win32_name(type: SemaphoreHandleType, name: str, device: typing.SupportsInt | typing.SupportsIndex) -> ExternalSemaphore:
        ...
    def close(self) -> None:
        ...
    def signal(self, value: typing.SupportsInt | typing.SupportsIndex, stream: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def wait(self, value: typing.SupportsInt | typing.SupportsIndex, stream: typing.SupportsInt | typing.SupportsIndex, timeout_ms: typing.SupportsInt | typing.SupportsIndex | None) -> None:
        ...
    @property
    def closed(self) -> bool:
        ...
    @property
    def device(self) -> int:
        ...
    @property
    def handle_type(self) -> SemaphoreHandleType:
        ...
    @property
    def native_handle(self) -> int:
        ...
class FrameSchedule:
    """
    The order of a frame ring's hand-offs: slots and timeline values.
    """
    def __init__(self, slots: typing.Any, batch: typing.Any, nbytes: typing.Any) -> None:
        ...
    def begin_read(self) -> tuple[int, int, bool]:
        """
        (number, slot, again) of the hand-off to read; again: read before, not released.
        """
    def begin_write(self) -> tuple[int, int, int, int]:
        """
        (number, slot, wait_released, signal_ready) of the next hand-off to write.
        """
    def release(self) -> int:
        """
        The released value to signal for the hand-off read (ValueError when none is).
        """
    @property
    def batch(self) -> int:
        ...
    @property
    def frame_nbytes(self) -> int:
        ...
    @property
    def next_write_waits_for(self) -> int:
        """
        The released value the next write waits for (0: none).
        """
    @property
    def released(self) -> int:
        """
        The last hand-off the consumer released.
        """
    @property
    def slot_nbytes(self) -> int:
        ...
    @property
    def slots(self) -> int:
        ...
    @property
    def written(self) -> int:
        """
        The last hand-off given to the producer.
        """
class ImageLayout:
    """
    An image in an allocation, as CUDA maps it: format, extent (CUDA's convention), levels, cudaArray* flags and the offset of level 0.
    """
    def __eq__(self, other: typing.Any) -> bool:
        ...
    def __hash__(self) -> int:
        ...
    def __init__(self, kind: ChannelKind, bits: typing.Any, channels: typing.Any, extent: tuple[typing.Any, typing.Any, typing.Any], levels: typing.Any = 1, flags: typing.Any = 0, offset: typing.Any = 0) -> None:
        ...
    def __repr__(self) -> str:
        ...
    def with_flags(self, flags: typing.Any) -> ImageLayout:
        """
        The same layout with other array flags.
        """
    @property
    def bits(self) -> int:
        """
        Bits per channel: 8, 16 or 32.
        """
    @property
    def channels(self) -> int:
        """
        Channels per element: 1, 2 or 4.
        """
    @property
    def extent(self) -> tuple[int, int, int]:
        """
        Level 0's (width, height, depth) in elements, in CUDA's convention: 1D (w, 0, 0), 2D (w, h, 0), 3D (w, h, d), layered (w, h, layers).
        """
    @property
    def flags(self) -> int:
        """
        cudaArray* flags (see ArrayFlags).
        """
    @property
    def kind(self) -> ChannelKind:
        """
        How each channel's bits are read (cudaChannelFormatKind).
        """
    @property
    def levels(self) -> int:
        """
        Number of mip levels (at least 1).
        """
    @property
    def offset(self) -> int:
        """
        Where level 0 starts in the allocation, in bytes.
        """
class MappedMipmappedArray:
    """
    A CUDA mipmapped array mapped from an ExternalMemory.
    """
    def close(self) -> None:
        ...
    def create_texture_object(self, linear_filter: bool, normalized_coordinates: bool, normalized_float: bool, address_mode: typing.SupportsInt | typing.SupportsIndex) -> ArrayObject:
        ...
    def level(self, index: typing.SupportsInt | typing.SupportsIndex) -> ArrayLevel:
        ...
    @property
    def bits(self) -> int:
        ...
    @property
    def channels(self) -> int:
        ...
    @property
    def closed(self) -> bool:
        ...
    @property
    def device(self) -> int:
        ...
    @property
    def extent(self) -> tuple[int, int, int]:
        ...
    @property
    def flags(self) -> int:
        ...
    @property
    def kind(self) -> ChannelKind:
        ...
    @property
    def layout(self) -> ImageLayout:
        ...
    @property
    def levels(self) -> int:
        ...
    @property
    def native_handle(self) -> int:
        ...
class MemoryHandleType:
    """
    cudaExternalMemoryHandleType, with CUDA's values.
    
    Members:
    
      OPAQUE_FD
    
      OPAQUE_WIN32
    
      OPAQUE_WIN32_KMT
    
      D3D12_HEAP
    
      D3D12_RESOURCE
    
      D3D11_RESOURCE
    
      D3D11_RESOURCE_KMT
    
      NVSCIBUF
    """
    D3D11_RESOURCE: typing.ClassVar[MemoryHandleType]  # value = <MemoryHandleType.D3D11_RESOURCE: 6>
    D3D11_RESOURCE_KMT: typing.ClassVar[MemoryHandleType]  # value = <MemoryHandleType.D3D11_RESOURCE_KMT: 7>
    D3D12_HEAP: typing.ClassVar[MemoryHandleType]  # value = <MemoryHandleType.D3D12_HEAP: 4>
    D3D12_RESOURCE: typing.ClassVar[MemoryHandleType]  # value = <MemoryHandleType.D3D12_RESOURCE: 5>
    NVSCIBUF: typing.ClassVar[MemoryHandleType]  # value = <MemoryHandleType.NVSCIBUF: 8>
    OPAQUE_FD: typing.ClassVar[MemoryHandleType]  # value = <MemoryHandleType.OPAQUE_FD: 1>
    OPAQUE_WIN32: typing.ClassVar[MemoryHandleType]  # value = <MemoryHandleType.OPAQUE_WIN32: 2>
    OPAQUE_WIN32_KMT: typing.ClassVar[MemoryHandleType]  # value = <MemoryHandleType.OPAQUE_WIN32_KMT: 3>
    __members__: typing.ClassVar[dict[str, MemoryHandleType]]  # value = {'OPAQUE_FD': <MemoryHandleType.OPAQUE_FD: 1>, 'OPAQUE_WIN32': <MemoryHandleType.OPAQUE_WIN32: 2>, 'OPAQUE_WIN32_KMT': <MemoryHandleType.OPAQUE_WIN32_KMT: 3>, 'D3D12_HEAP': <MemoryHandleType.D3D12_HEAP: 4>, 'D3D12_RESOURCE': <MemoryHandleType.D3D12_RESOURCE: 5>, 'D3D11_RESOURCE': <MemoryHandleType.D3D11_RESOURCE: 6>, 'D3D11_RESOURCE_KMT': <MemoryHandleType.D3D11_RESOURCE_KMT: 7>, 'NVSCIBUF': <MemoryHandleType.NVSCIBUF: 8>}
    @typing.overload
    def __eq__(self, other: MemoryHandleType) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: typing.Any) -> bool:
        ...
    def __getstate__(self) -> int:
        ...
    def __hash__(self) -> int:
        ...
    def __index__(self) -> int:
        ...
    def __init__(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __int__(self) -> int:
        ...
    @typing.overload
    def __ne__(self, other: MemoryHandleType) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: typing.Any) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, state: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __str__(self) -> str:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def value(self) -> int:
        ...
class MemoryShare:
    """
    An exported memory object: handle, handle type, size, dedicated flag, device identity and, for images, their layout.
    """
    def __enter__(self) -> typing.Any:
        ...
    def __exit__(self, exc_type: typing.Any, exc: typing.Any, traceback: typing.Any) -> bool:
        """
        Closes an owned handle.
        """
    def __init__(self, type: typing.Any, handle: typing.Any, size: typing.Any, dedicated: typing.Any = False, device_uuid: typing.Any = None, device_luid: typing.Any = None, image: typing.Any = None, owned: typing.Any = True) -> None:
        ...
    def close(self) -> None:
        """
        Closes an owned handle; idempotent.
        """
    def release(self) -> int:
        """
        Gives up an owned handle without closing it and returns it (the caller owns it).
        """
    def validate(self) -> None:
        """
        Raises unless this could be imported here: ValueError for a size of 0, a handle of the wrong form, a missing dedicated flag or an image layout outside the allocation; NotSupportedError where the platform has no such handles; ClosedError once the handle is closed or released.
        """
    @property
    def closed(self) -> bool:
        """
        True once the handle is closed or released (the descriptor can no longer be imported).
        """
    @property
    def dedicated(self) -> bool:
        """
        Whether the memory is a dedicated allocation (CUDA must be told).
        """
    @property
    def device_luid(self) -> bytes | None:
        """
        The 8-byte LUID of the device the object was created on (Windows), or None if not known.
        """
    @property
    def device_uuid(self) -> bytes | None:
        """
        The 16-byte UUID of the device the object was created on, or None if not known.
        """
    @property
    def handle(self) -> typing.Any:
        """
        The fd or handle (int), the name (str), or None once closed or released.
        """
    @property
    def image(self) -> ImageLayout | None:
        """
        For an image, its ImageLayout (how to map it as a mipmapped array); else None.
        """
    @property
    def owned(self) -> bool:
        """
        Whether closing the descriptor closes the handle.
        """
    @property
    def size(self) -> int:
        """
        The allocation size in bytes the producer reports (what CUDA is given).
        """
    @property
    def type(self) -> MemoryHandleType:
        """
        The kind of handle (MemoryHandleType).
        """
class NotSupportedError(RuntimeError):
    """
    This platform, driver or build cannot do what was asked.
    """
class PixelFormat:
    """
    A colour format CUDA arrays can alias, with its Vulkan and DXGI values.
    """
    def __repr__(self) -> str:
        ...
    @property
    def bits(self) -> int:
        ...
    @property
    def channels(self) -> int:
        ...
    @property
    def component(self) -> str:
        ...
    @property
    def dxgi_format(self) -> int:
        ...
    @property
    def dxgi_name(self) -> str:
        ...
    @property
    def kind(self) -> ChannelKind:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def texel_size(self) -> int:
        ...
    @property
    def vk_format(self) -> int:
        ...
class SemaphoreHandleType:
    """
    cudaExternalSemaphoreHandleType, with CUDA's values.
    
    Members:
    
      OPAQUE_FD
    
      OPAQUE_WIN32
    
      OPAQUE_WIN32_KMT
    
      D3D12_FENCE
    
      D3D11_FENCE
    
      NVSCISYNC
    
      KEYED_MUTEX
    
      KEYED_MUTEX_KMT
    
      TIMELINE_SEMAPHORE_FD
    
      TIMELINE_SEMAPHORE_WIN32
    """
    D3D11_FENCE: typing.ClassVar[SemaphoreHandleType]  # value = <SemaphoreHandleType.D3D11_FENCE: 5>
    D3D12_FENCE: typing.ClassVar[SemaphoreHandleType]  # value = <SemaphoreHandleType.D3D12_FENCE: 4>
    KEYED_MUTEX: typing.ClassVar[SemaphoreHandleType]  # value = <SemaphoreHandleType.KEYED_MUTEX: 7>
    KEYED_MUTEX_KMT: typing.ClassVar[SemaphoreHandleType]  # value = <SemaphoreHandleType.KEYED_MUTEX_KMT: 8>
    NVSCISYNC: typing.ClassVar[SemaphoreHandleType]  # value = <SemaphoreHandleType.NVSCISYNC: 6>
    OPAQUE_FD: typing.ClassVar[SemaphoreHandleType]  # value = <SemaphoreHandleType.OPAQUE_FD: 1>
    OPAQUE_WIN32: typing.ClassVar[SemaphoreHandleType]  # value = <SemaphoreHandleType.OPAQUE_WIN32: 2>
    OPAQUE_WIN32_KMT: typing.ClassVar[SemaphoreHandleType]  # value = <SemaphoreHandleType.OPAQUE_WIN32_KMT: 3>
    TIMELINE_SEMAPHORE_FD: typing.ClassVar[SemaphoreHandleType]  # value = <SemaphoreHandleType.TIMELINE_SEMAPHORE_FD: 9>
    TIMELINE_SEMAPHORE_WIN32: typing.ClassVar[SemaphoreHandleType]  # value = <SemaphoreHandleType.TIMELINE_SEMAPHORE_WIN32: 10>
    __members__: typing.ClassVar[dict[str, SemaphoreHandleType]]  # value = {'OPAQUE_FD': <SemaphoreHandleType.OPAQUE_FD: 1>, 'OPAQUE_WIN32': <SemaphoreHandleType.OPAQUE_WIN32: 2>, 'OPAQUE_WIN32_KMT': <SemaphoreHandleType.OPAQUE_WIN32_KMT: 3>, 'D3D12_FENCE': <SemaphoreHandleType.D3D12_FENCE: 4>, 'D3D11_FENCE': <SemaphoreHandleType.D3D11_FENCE: 5>, 'NVSCISYNC': <SemaphoreHandleType.NVSCISYNC: 6>, 'KEYED_MUTEX': <SemaphoreHandleType.KEYED_MUTEX: 7>, 'KEYED_MUTEX_KMT': <SemaphoreHandleType.KEYED_MUTEX_KMT: 8>, 'TIMELINE_SEMAPHORE_FD': <SemaphoreHandleType.TIMELINE_SEMAPHORE_FD: 9>, 'TIMELINE_SEMAPHORE_WIN32': <SemaphoreHandleType.TIMELINE_SEMAPHORE_WIN32: 10>}
    @typing.overload
    def __eq__(self, other: SemaphoreHandleType) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: typing.Any) -> bool:
        ...
    def __getstate__(self) -> int:
        ...
    def __hash__(self) -> int:
        ...
    def __index__(self) -> int:
        ...
    def __init__(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __int__(self) -> int:
        ...
    @typing.overload
    def __ne__(self, other: SemaphoreHandleType) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: typing.Any) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, state: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __str__(self) -> str:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def value(self) -> int:
        ...
class SemaphoreKind:
    """
    What a semaphore's signal or wait value means.
    
    Members:
    
      BINARY
    
      FENCE
    
      KEYED_MUTEX
    
      NVSCISYNC
    """
    BINARY: typing.ClassVar[SemaphoreKind]  # value = <SemaphoreKind.BINARY: 0>
    FENCE: typing.ClassVar[SemaphoreKind]  # value = <SemaphoreKind.FENCE: 1>
    KEYED_MUTEX: typing.ClassVar[SemaphoreKind]  # value = <SemaphoreKind.KEYED_MUTEX: 2>
    NVSCISYNC: typing.ClassVar[SemaphoreKind]  # value = <SemaphoreKind.NVSCISYNC: 3>
    __members__: typing.ClassVar[dict[str, SemaphoreKind]]  # value = {'BINARY': <SemaphoreKind.BINARY: 0>, 'FENCE': <SemaphoreKind.FENCE: 1>, 'KEYED_MUTEX': <SemaphoreKind.KEYED_MUTEX: 2>, 'NVSCISYNC': <SemaphoreKind.NVSCISYNC: 3>}
    @typing.overload
    def __eq__(self, other: SemaphoreKind) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: typing.Any) -> bool:
        ...
    def __getstate__(self) -> int:
        ...
    def __hash__(self) -> int:
        ...
    def __index__(self) -> int:
        ...
    def __init__(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __int__(self) -> int:
        ...
    @typing.overload
    def __ne__(self, other: SemaphoreKind) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: typing.Any) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, state: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __str__(self) -> str:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def value(self) -> int:
        ...
class SemaphoreShare:
    """
    An exported semaphore, fence or keyed mutex: handle, handle type and device identity.
    """
    def __enter__(self) -> typing.Any:
        ...
    def __exit__(self, exc_type: typing.Any, exc: typing.Any, traceback: typing.Any) -> bool:
        """
        Closes an owned handle.
        """
    def __init__(self, type: typing.Any, handle: typing.Any, device_uuid: typing.Any = None, device_luid: typing.Any = None, owned: typing.Any = True) -> None:
        ...
    def close(self) -> None:
        """
        Closes an owned handle; idempotent.
        """
    def release(self) -> int:
        """
        Gives up an owned handle without closing it and returns it (the caller owns it).
        """
    def validate(self) -> None:
        """
        Raises unless this could be imported here: ValueError for a handle of the wrong form, NotSupportedError where the platform has no such handles, ClosedError once the handle is closed or released.
        """
    @property
    def closed(self) -> bool:
        """
        True once the handle is closed or released (the descriptor can no longer be imported).
        """
    @property
    def device_luid(self) -> bytes | None:
        """
        The 8-byte LUID of the device the object was created on (Windows), or None if not known.
        """
    @property
    def device_uuid(self) -> bytes | None:
        """
        The 16-byte UUID of the device the object was created on, or None if not known.
        """
    @property
    def handle(self) -> typing.Any:
        """
        The fd or handle (int), the name (str), or None once closed or released.
        """
    @property
    def owned(self) -> bool:
        """
        Whether closing the descriptor closes the handle.
        """
    @property
    def type(self) -> SemaphoreHandleType:
        """
        The kind of handle (SemaphoreHandleType).
        """
class SharedAllocation:
    """
    Shareable CUDA device memory (cuMemCreate), mapped in this process.
    """
    @staticmethod
    def create(size: typing.SupportsInt | typing.SupportsIndex, device: typing.SupportsInt | typing.SupportsIndex) -> SharedAllocation:
        ...
    def close(self) -> None:
        ...
    def export_fd(self) -> int:
        """
        A new file descriptor; the caller owns it.
        """
    def export_share(self) -> MemoryShare:
        """
        A share descriptor with a new handle, the size and the device's UUID.
        """
    def span(self) -> DeviceSpan:
        """
        The allocation as mapped in this process.
        """
    @property
    def closed(self) -> bool:
        ...
    @property
    def device(self) -> int:
        ...
    @property
    def size(self) -> int:
        ...
def all_devices() -> list[DeviceInfo]:
    """
    Every CUDA device, in ordinal order.
    """
def current_device() -> int:
    """
    The calling thread's current device.
    """
def device_count() -> int:
    """
    Number of CUDA devices.
    """
def device_from_luid(luid: bytes) -> DeviceInfo:
    """
    The device whose 8-byte LUID matches (Windows only).
    """
def device_from_uuid(uuid: bytes) -> DeviceInfo:
    """
    The device whose 16-byte UUID matches.
    """
def device_info(ordinal: typing.SupportsInt | typing.SupportsIndex) -> DeviceInfo:
    """
    The device with this ordinal.
    """
def dlpack(span: DeviceSpan, byte_offset: typing.SupportsInt | typing.SupportsIndex, shape: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], code: typing.SupportsInt | typing.SupportsIndex, bits: typing.SupportsInt | typing.SupportsIndex, versioned: bool) -> typing_extensions.CapsuleType:
    """
    A DLPack capsule over device memory that keeps it valid until the consumer lets go.
    """
def driver_entry_points() -> tuple[int, list[str]]:
    """
    (CUDA version, names): the driver entry points the core asks for, at that version's ABI.
    """
def driver_version() -> int:
    """
    cudaDriverGetVersion(); 0 without a driver.
    """
def find_pixel_format(name: str) -> PixelFormat:
    """
    The format named in Vulkan or DXGI spelling (prefix and case optional), else None.
    """
def integer(value: typing.Any, name: str) -> int:
    """
    `value` as a signed 64-bit int; TypeError or ValueError naming `name` otherwise.
    """
def kind_of(type: SemaphoreHandleType) -> SemaphoreKind:
    """
    The kind of semaphore a handle type imports.
    """
def max_mip_levels(extent: tuple[typing.Any, typing.Any, typing.Any], flags: typing.Any) -> int:
    ...
def memory_info(ordinal: typing.SupportsInt | typing.SupportsIndex) -> tuple[int, int]:
    """
    (free, total) bytes of device memory: cudaMemGetInfo.
    """
def minimum_driver_version() -> str:
    """
    The oldest NVIDIA driver this build runs on, for this platform.
    """
def pixel_format(name: str) -> PixelFormat:
    """
    As find_pixel_format; ValueError listing the accepted names when there is none.
    """
def pixel_format_from_dxgi(dxgi_format: typing.SupportsInt | typing.SupportsIndex) -> PixelFormat:
    """
    The format with this DXGI_FORMAT.
    """
def pixel_format_from_vk(vk_format: typing.SupportsInt | typing.SupportsIndex) -> PixelFormat:
    """
    The format with this VkFormat.
    """
def pixel_formats() -> list[PixelFormat]:
    """
    Every pixel format, in a fixed order.
    """
def runtime_version() -> int:
    """
    The CUDA runtime version this was built with.
    """
def semaphore_value(value: typing.Any, name: str) -> int:
    """
    `value` as an int in [0, 2**64); TypeError or ValueError naming `name` otherwise.
    """
def signal_semaphores(operations: collections.abc.Sequence[tuple[ExternalSemaphore, typing.SupportsInt | typing.SupportsIndex, typing.SupportsInt | typing.SupportsIndex | None]], stream: typing.SupportsInt | typing.SupportsIndex) -> None:
    """
    One cudaSignalExternalSemaphoresAsync for (semaphore, value, None) tuples.
    """
def wait_semaphores(operations: collections.abc.Sequence[tuple[ExternalSemaphore, typing.SupportsInt | typing.SupportsIndex, typing.SupportsInt | typing.SupportsIndex | None]], stream: typing.SupportsInt | typing.SupportsIndex) -> None:
    """
    One cudaWaitExternalSemaphoresAsync for (semaphore, value, timeout_ms) tuples.
    """
