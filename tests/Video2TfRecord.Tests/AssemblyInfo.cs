using System.Runtime.Versioning;

// The product ships OpenCV's linux-x64 runtime and the tests use ffmpeg, setpriv and Unix file modes.
[assembly: SupportedOSPlatform("linux")]
