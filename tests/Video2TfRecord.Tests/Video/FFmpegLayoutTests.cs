using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Video2TfRecord.Tests.Fixtures;
using Video2TfRecord.Video.Native;

namespace Video2TfRecord.Tests.Video;

/// <summary>
/// The hand-written FFmpeg bindings against the installed headers: a C program compiled here prints offsetof/sizeof of
/// every struct field the bindings read, and the value of every constant they use, and the layout of the headers'
/// major (<see cref="LibAvLayout"/>) must say the same. <c>VIDEO2TFRECORD_FFMPEG_INCLUDE</c> points it at another
/// major's headers instead (scripts/check-ffmpeg-layouts.sh runs it so for every major the bindings know).
/// </summary>
public class FFmpegLayoutTests
{
    private static readonly string? OtherHeaders = Environment.GetEnvironmentVariable("VIDEO2TFRECORD_FFMPEG_INCLUDE");

    [Fact]
    public void Every_struct_field_and_constant_matches_the_installed_headers()
    {
        var major = (int)CProgram.PrintedValues("""
            #include <stdio.h>
            #include <libavcodec/avcodec.h>
            int main(void) { printf("major %d\n", LIBAVCODEC_VERSION_MAJOR); return 0; }
            """, OtherHeaders)["major"];
        var layout = LibAvLayout.ForAvCodec(major);
        Assert.True(layout is not null, $"the headers are of libavcodec {major}, a major the bindings do not know");
        var expected = new List<(string Name, long Value)>();
        var program = new StringBuilder("""
            #include <stdio.h>
            #include <stddef.h>
            #include <libavformat/avformat.h>
            #include <libavcodec/avcodec.h>
            #include <libavutil/log.h>
            #include <libavutil/pixdesc.h>
            #include <libswscale/swscale.h>
            #include <libswresample/swresample.h>
            #include <libavutil/channel_layout.h>
            int main(void) {

            """);
        // AVChannelLayout is new in FFmpeg 5.1: FFmpeg 4's layout reads channel masks instead.
        foreach (var type in typeof(LibAv).Assembly.GetTypes().Where(t => t.Namespace == typeof(LibAv).Namespace && t.IsValueType
            && (t != typeof(AVChannelLayout) || layout.ChannelLayoutApi)))
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public))
            {
                var offset = field.GetCustomAttribute<FieldOffsetAttribute>()?.Value ?? (int)Marshal.OffsetOf(type, field.Name);
                Print(program, $"{type.Name}.{field.Name}.offset", $"offsetof({type.Name}, {field.Name})");
                expected.Add(($"{type.Name}.{field.Name}.offset", offset));
                // AVFrame's data and linesize and the descriptor's comp are arrays in C: the bindings read their first element.
                // comp is an AVComponentDescriptor, whose size changed (the layout says it); the bindings read comp[0] only.
                var size = field.FieldType.IsPointer ? IntPtr.Size : field.FieldType == typeof(AVComponentDescriptor) ? layout.ComponentDescriptorSize : Marshal.SizeOf(field.FieldType);
                Print(program, $"{type.Name}.{field.Name}.size", (type == typeof(AVFrame) && field.Name is "data" or "linesize") || field.Name == "comp" ? $"sizeof((({type.Name}*)0)->{field.Name}[0])" : $"sizeof((({type.Name}*)0)->{field.Name})");
                expected.Add(($"{type.Name}.{field.Name}.size", size));
            }
        }

        Print(program, "AVRational.size", "sizeof(AVRational)");
        expected.Add(("AVRational.size", Marshal.SizeOf<AVRational>()));
        foreach (var (name, expression, value) in layout.Checks())
        {
            Print(program, "layout." + name, expression);
            expected.Add(("layout." + name, value));
        }

        foreach (var constant in typeof(LibAv).GetFields(BindingFlags.Static | BindingFlags.Public).Where(f => f.IsLiteral && f.FieldType != typeof(string)))
        {
            var c = constant.Name == "AVERROR_EAGAIN" ? "AVERROR(EAGAIN)" : constant.Name;
            Print(program, constant.Name, c);
            expected.Add((constant.Name, Convert.ToInt64(constant.GetRawConstantValue(), CultureInfo.InvariantCulture)));
        }

        program.Append("return 0; }\n");
        var printed = CProgram.PrintedValues(program.ToString(), OtherHeaders);

        var mismatches = expected.Where(e => !printed.TryGetValue(e.Name, out var value) || value != e.Value)
            .Select(e => $"{e.Name}: bindings {e.Value}, headers {(printed.TryGetValue(e.Name, out var v) ? v.ToString(CultureInfo.InvariantCulture) : "missing")}")
            .ToList();
        Assert.True(expected.Count > 40, $"only {expected.Count} values checked");
        Assert.True(mismatches.Count == 0, string.Join("; ", mismatches));
    }

    [Fact]
    public void The_installed_libraries_are_one_set_the_bindings_know_and_its_layout_is_used()
    {
        Assert.Null(FFmpegLibraries.Problem);
        var layout = FFmpegLibraries.Layout!;
        Assert.Matches($@"^libavformat {layout.AvFormat}\.\d+\.\d+, libavcodec {layout.AvCodec}\.\d+\.\d+, libavutil {layout.AvUtil}\.\d+\.\d+, libswscale {layout.SwScale}\.\d+\.\d+, libswresample {layout.SwResample}\.\d+\.\d+$",
            FFmpegLibraries.Versions);
        // The newest set on the machine: no set of a newer release line is complete here.
        Assert.All(LibAvLayout.All.TakeWhile(l => l != layout), newer => Assert.False(newer.Sonames.All(s => NativeLibrary.TryLoad(s, out _)), newer.Release));
    }

    private static void Print(StringBuilder program, string name, string expression) =>
        program.Append(CultureInfo.InvariantCulture, $"printf(\"{name} %lld\\n\", (long long)({expression}));\n");
}
