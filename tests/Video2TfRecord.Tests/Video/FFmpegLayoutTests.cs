using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Video2TfRecord.Tests.Fixtures;
using Video2TfRecord.Video.Native;

namespace Video2TfRecord.Tests.Video;

/// <summary>
/// The hand-written FFmpeg bindings against the installed headers: a C program compiled here prints offsetof/sizeof of
/// every struct field the bindings read, and the value of every constant they use.
/// </summary>
public class FFmpegLayoutTests
{
    [Fact]
    public void Every_struct_field_and_constant_matches_the_installed_headers()
    {
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
        foreach (var type in typeof(LibAv).Assembly.GetTypes().Where(t => t.Namespace == typeof(LibAv).Namespace && t.IsValueType))
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public))
            {
                var offset = field.GetCustomAttribute<FieldOffsetAttribute>()?.Value ?? (int)Marshal.OffsetOf(type, field.Name);
                Print(program, $"{type.Name}.{field.Name}.offset", $"offsetof({type.Name}, {field.Name})");
                expected.Add(($"{type.Name}.{field.Name}.offset", offset));
                // data, linesize and comp are arrays in C: the bindings read their first element.
                var size = field.FieldType.IsPointer ? IntPtr.Size : Marshal.SizeOf(field.FieldType);
                Print(program, $"{type.Name}.{field.Name}.size", field.Name is "data" or "linesize" or "comp" ? $"sizeof((({type.Name}*)0)->{field.Name}[0])" : $"sizeof((({type.Name}*)0)->{field.Name})");
                expected.Add(($"{type.Name}.{field.Name}.size", size));
            }
        }

        Print(program, "AVRational.size", "sizeof(AVRational)");
        expected.Add(("AVRational.size", Marshal.SizeOf<AVRational>()));
        Print(program, "AVComponentDescriptor.size", "sizeof(AVComponentDescriptor)");
        expected.Add(("AVComponentDescriptor.size", Marshal.SizeOf<AVComponentDescriptor>()));
        foreach (var constant in typeof(LibAv).GetFields(BindingFlags.Static | BindingFlags.Public).Where(f => f.IsLiteral && f.FieldType != typeof(string)))
        {
            var c = constant.Name switch
            {
                "AVERROR_EAGAIN" => "AVERROR(EAGAIN)",
                "AvFormatMajor" => "LIBAVFORMAT_VERSION_MAJOR",
                "AvCodecMajor" => "LIBAVCODEC_VERSION_MAJOR",
                "AvUtilMajor" => "LIBAVUTIL_VERSION_MAJOR",
                "SwScaleMajor" => "LIBSWSCALE_VERSION_MAJOR",
                "SwResampleMajor" => "LIBSWRESAMPLE_VERSION_MAJOR",
                var name => name,
            };
            Print(program, constant.Name, c);
            expected.Add((constant.Name, Convert.ToInt64(constant.GetRawConstantValue(), CultureInfo.InvariantCulture)));
        }

        program.Append("return 0; }\n");
        var printed = CProgram.PrintedValues(program.ToString());

        var mismatches = expected.Where(e => !printed.TryGetValue(e.Name, out var value) || value != e.Value)
            .Select(e => $"{e.Name}: bindings {e.Value}, headers {(printed.TryGetValue(e.Name, out var v) ? v.ToString(CultureInfo.InvariantCulture) : "missing")}")
            .ToList();
        Assert.True(expected.Count > 40, $"only {expected.Count} values checked");
        Assert.Empty(mismatches);
    }

    [Fact]
    public void The_installed_libraries_are_the_majors_the_bindings_know()
    {
        Assert.Null(FFmpegLibraries.Problem);
        Assert.Matches(@"^libavformat 59\.\d+\.\d+, libavcodec 59\.\d+\.\d+, libavutil 57\.\d+\.\d+, libswscale 6\.\d+\.\d+, libswresample 4\.\d+\.\d+$", FFmpegLibraries.Versions);
    }

    private static void Print(StringBuilder program, string name, string expression) =>
        program.Append(CultureInfo.InvariantCulture, $"printf(\"{name} %lld\\n\", (long long)({expression}));\n");
}
