package image

// SplitScheme exposes splitScheme to the external tests.
var SplitScheme = splitScheme

var PickTagged = pickTagged
