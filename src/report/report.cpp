// report (work in progress)
namespace vetter::report {}
