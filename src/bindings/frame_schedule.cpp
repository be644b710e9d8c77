// SPDX-License-Identifier: Apache-2.0
#include "cuda_interop/frame_schedule.hpp"

#include <pybind11/pybind11.h>

#include "convert.hpp"

namespace py = pybind11;

namespace cuda_interop::bindings {

void init_frame_schedule(py::module_& m) {
  py::class_<FrameSchedule>(m, "FrameSchedule",
                            "The order of a frame ring's hand-offs: slots and timeline values.")
      .def(py::init([](const py::handle& slots, const py::handle& batch, const py::handle& nbytes) {
             return FrameSchedule(int64_argument(slots, "slots"), int64_argument(batch, "batch"),
                                  int64_argument(nbytes, "nbytes"));
           }),
           py::arg("slots"), py::arg("batch"), py::arg("nbytes"))
      .def_property_readonly("slots", &FrameSchedule::slots)
      .def_property_readonly("batch", &FrameSchedule::batch)
      .def_property_readonly("frame_nbytes", &FrameSchedule::frame_nbytes)
      .def_property_readonly("slot_nbytes", &FrameSchedule::slot_nbytes)
      .def_property_readonly("written", &FrameSchedule::written,
                             "The last hand-off given to the producer.")
      .def_property_readonly("released", &FrameSchedule::released,
                             "The last hand-off the consumer released.")
      .def_property_readonly("next_write_waits_for", &FrameSchedule::next_write_waits_for,
                             "The released value the next write waits for (0: none).")
      .def(
          "begin_write",
          [](FrameSchedule& self) {
            const FrameWrite w = self.begin_write();
            return py::make_tuple(w.number, w.slot, w.wait_released, w.signal_ready);
          },
          "(number, slot, wait_released, signal_ready) of the next hand-off to write.")
      .def(
          "begin_read",
          [](FrameSchedule& self) {
            const FrameRead r = self.begin_read();
            return py::make_tuple(r.number, r.slot, r.again);
          },
          "(number, slot, again) of the hand-off to read; again: read before, not released.")
      .def("release", &FrameSchedule::release,
           "The released value to signal for the hand-off read (ValueError when none is).");
}

}  // namespace cuda_interop::bindings
