// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/d3d12/transfer.hpp"

#include <algorithm>
#include <cstring>

#include "cuda_interop/arguments.hpp"
#include "cuda_interop/d3d12/hresult.hpp"
#include "cuda_interop/error.hpp"
#include "device_state.hpp"

namespace cuda_interop::d3d12 {
namespace {

using detail::ComPtr;

void check_buffer_range(const Resource& buffer, std::uint64_t offset, std::uint64_t size, const char* what) {
  if (!buffer.is_buffer()) throw InvalidArgument(std::string(what) + " needs a buffer, not a texture");
  nonzero(size, "size");
  check_range(offset, size, buffer.size(), what);
}

/// Maps a staging buffer for the CPU; `read` says whether the CPU reads what the GPU wrote.
class Mapping {
 public:
  Mapping(ID3D12Resource* buffer, std::uint64_t size, bool read) : buffer_(buffer), size_(size), read_(read) {
    const D3D12_RANGE none{0, 0};
    const D3D12_RANGE all{0, static_cast<SIZE_T>(size)};
    check_hresult(buffer_->Map(0, read ? &all : &none, &data_), "ID3D12Resource::Map");
  }
  ~Mapping() {
    const D3D12_RANGE none{0, 0};
    const D3D12_RANGE all{0, static_cast<SIZE_T>(size_)};
    buffer_->Unmap(0, read_ ? &none : &all);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  std::uint8_t* data() const { return static_cast<std::uint8_t*>(data_); }

 private:
  ID3D12Resource* buffer_;
  std::uint64_t size_;
  bool read_;
  void* data_ = nullptr;
};

/// Where one subresource lies in a staging buffer at offset 0.
struct Footprint {
  D3D12_PLACED_SUBRESOURCE_FOOTPRINT placed{};
  UINT rows = 0;
  UINT64 row_bytes = 0;
  UINT64 total = 0;
};

UINT subresource_index(const Resource& texture, std::uint32_t mip_level, std::uint32_t array_slice) {
  if (!texture.is_texture()) throw InvalidArgument("texture transfers need a texture, not a buffer");
  const D3D12_RESOURCE_DESC& desc = texture.desc();
  if (mip_level >= desc.MipLevels || array_slice >= desc.DepthOrArraySize) {
    throw InvalidArgument("subresource (mip " + std::to_string(mip_level) + ", slice " +
                          std::to_string(array_slice) + ") does not exist: the texture has " +
                          std::to_string(desc.MipLevels) + " levels and " +
                          std::to_string(desc.DepthOrArraySize) + " slices");
  }
  return mip_level + array_slice * desc.MipLevels;
}

Footprint footprint(const Resource& texture, UINT subresource) {
  Footprint result;
  texture.device_state()->device->GetCopyableFootprints(&texture.desc(), subresource, 1, 0, &result.placed,
                                                        &result.rows, &result.row_bytes, &result.total);
  return result;
}

std::uint64_t packed_size(const Footprint& print) {
  return static_cast<std::uint64_t>(print.rows) * print.row_bytes * print.placed.Footprint.Depth;
}

}  // namespace

void upload(const Resource& buffer, const void* data, std::size_t size, std::uint64_t offset) {
  check_buffer_range(buffer, offset, size, "upload");
  detail::DeviceState& device = *buffer.device_state();
  ComPtr<ID3D12Resource> staging = device.create_staging_buffer(D3D12_HEAP_TYPE_UPLOAD, size);
  {
    Mapping mapping(staging.Get(), size, false);
    std::memcpy(mapping.data(), data, size);
  }
  ID3D12Resource* destination = buffer.native();
  device.execute([&](ID3D12GraphicsCommandList& list) {
    list.CopyBufferRegion(destination, offset, staging.Get(), 0, size);
  }, "d3d12 upload");
}

std::vector<std::uint8_t> download(const Resource& buffer, std::uint64_t size, std::uint64_t offset) {
  check_buffer_range(buffer, offset, size, "download");
  detail::DeviceState& device = *buffer.device_state();
  ComPtr<ID3D12Resource> staging = device.create_staging_buffer(D3D12_HEAP_TYPE_READBACK, size);
  ID3D12Resource* source = buffer.native();
  device.execute([&](ID3D12GraphicsCommandList& list) {
    list.CopyBufferRegion(staging.Get(), 0, source, offset, size);
  }, "d3d12 download");
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
  Mapping mapping(staging.Get(), size, true);
  std::memcpy(bytes.data(), mapping.data(), bytes.size());
  return bytes;
}

void copy(const Resource& source, const Resource& destination) {
  check_buffer_range(source, 0, source.size(), "copy");
  check_buffer_range(destination, 0, source.size(), "copy");
  if (source.device_state() != destination.device_state()) {
    throw InvalidArgument("copy: source and destination belong to different devices");
  }
  if (source.native() == destination.native()) throw InvalidArgument("copy: source and destination are the same");
  detail::DeviceState& device = *source.device_state();
  device.execute([&](ID3D12GraphicsCommandList& list) {
    list.CopyBufferRegion(destination.native(), 0, source.native(), 0, source.size());
  }, "d3d12 copy");
}

void clear(const Resource& buffer, std::uint8_t value) {
  // The copy queue has no fill command; an upload of the pattern does the same, synchronously.
  const std::vector<std::uint8_t> pattern(static_cast<std::size_t>(buffer.size()), value);
  upload(buffer, pattern.data(), pattern.size(), 0);
}

std::uint64_t subresource_size(const Resource& texture, std::uint32_t mip_level, std::uint32_t array_slice) {
  return packed_size(footprint(texture, subresource_index(texture, mip_level, array_slice)));
}

void upload_texture(const Resource& texture, std::uint32_t mip_level, std::uint32_t array_slice,
                    const void* data, std::size_t size) {
  const UINT subresource = subresource_index(texture, mip_level, array_slice);
  const Footprint print = footprint(texture, subresource);
  if (size != packed_size(print)) {
    throw InvalidArgument("upload_texture: got " + std::to_string(size) + " bytes, mip " +
                          std::to_string(mip_level) + " needs " + std::to_string(packed_size(print)) +
                          " (" + std::to_string(print.rows) + " rows of " + std::to_string(print.row_bytes) +
                          " bytes)");
  }
  detail::DeviceState& device = *texture.device_state();
  ComPtr<ID3D12Resource> staging = device.create_staging_buffer(D3D12_HEAP_TYPE_UPLOAD, print.total);
  {
    // Staging rows are RowPitch apart (a multiple of 256); the caller's rows are packed.
    Mapping mapping(staging.Get(), print.total, false);
    const auto* source = static_cast<const std::uint8_t*>(data);
    for (UINT row = 0; row < print.rows; ++row) {
      std::memcpy(mapping.data() + static_cast<std::uint64_t>(row) * print.placed.Footprint.RowPitch,
                  source + static_cast<std::uint64_t>(row) * print.row_bytes, static_cast<std::size_t>(print.row_bytes));
    }
  }
  D3D12_TEXTURE_COPY_LOCATION destination{};
  destination.pResource = texture.native();
  destination.Type = D3D12_TEXTURE_COPY_TYPE_SUBRESOURCE_INDEX;
  destination.SubresourceIndex = subresource;
  D3D12_TEXTURE_COPY_LOCATION source{};
  source.pResource = staging.Get();
  source.Type = D3D12_TEXTURE_COPY_TYPE_PLACED_FOOTPRINT;
  source.PlacedFootprint = print.placed;
  device.execute([&](ID3D12GraphicsCommandList& list) {
    list.CopyTextureRegion(&destination, 0, 0, 0, &source, nullptr);
  }, "d3d12 upload_texture");
}

std::vector<std::uint8_t> download_texture(const Resource& texture, std::uint32_t mip_level,
                                           std::uint32_t array_slice) {
  const UINT subresource = subresource_index(texture, mip_level, array_slice);
  const Footprint print = footprint(texture, subresource);
  detail::DeviceState& device = *texture.device_state();
  ComPtr<ID3D12Resource> staging = device.create_staging_buffer(D3D12_HEAP_TYPE_READBACK, print.total);
  D3D12_TEXTURE_COPY_LOCATION destination{};
  destination.pResource = staging.Get();
  destination.Type = D3D12_TEXTURE_COPY_TYPE_PLACED_FOOTPRINT;
  destination.PlacedFootprint = print.placed;
  D3D12_TEXTURE_COPY_LOCATION source{};
  source.pResource = texture.native();
  source.Type = D3D12_TEXTURE_COPY_TYPE_SUBRESOURCE_INDEX;
  source.SubresourceIndex = subresource;
  device.execute([&](ID3D12GraphicsCommandList& list) {
    list.CopyTextureRegion(&destination, 0, 0, 0, &source, nullptr);
  }, "d3d12 download_texture");
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(packed_size(print)));
  Mapping mapping(staging.Get(), print.total, true);
  for (UINT row = 0; row < print.rows; ++row) {
    std::memcpy(bytes.data() + static_cast<std::uint64_t>(row) * print.row_bytes,
                mapping.data() + static_cast<std::uint64_t>(row) * print.placed.Footprint.RowPitch,
                static_cast<std::size_t>(print.row_bytes));
  }
  return bytes;
}

}  // namespace cuda_interop::d3d12
