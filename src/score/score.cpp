// score (work in progress)
namespace vetter::score {}
