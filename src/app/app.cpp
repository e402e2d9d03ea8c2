// app (work in progress)
namespace vetter::app {}
