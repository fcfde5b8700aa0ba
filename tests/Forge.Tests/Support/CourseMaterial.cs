using System.Text.Json;

namespace Forge.Tests.Support;

/// <summary>Course material as teachers write it: MkDocs-style Markdown with maths, and Jupyter notebooks.</summary>
public static class CourseMaterial
{
    /// <summary>A real 8×6 RGB PNG, the size of a tiny matplotlib thumbnail.</summary>
    public const string PlotPngBase64 =
        "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAGCAIAAABxZ0isAAAAXklEQVR4nA3JIQEAQQhFQZKgCUEI9Cb5SdCEIMTTJLobO2aGG2k8Q0Yba5xhFniQwQsUdLDBxR+FF1m8QkUXW1z9IVykeEKixYrTH4MPObxBQw873PwBDgkPBA0LBx+zu0vxsoT/MwAAAABJRU5ErkJggg==";

    public const string MathsPage = """
        # Suites numériques

        !!! note "Définition"
            Une suite $(u_n)$ est **arithmétique** de raison $r$ si, pour tout entier $n$,
            $u_{n+1} = u_n + r$.

            Son terme général est alors :

            $$
            u_n = u_0 + n r
            $$

        !!! warning
            Ne pas confondre avec une suite géométrique :warning:.

        ??? tip "Indice"
            Calculez $u_1 - u_0$ puis $u_2 - u_1$.

        ???+ example "Correction"
            La somme des $n+1$ premiers termes vaut $\frac{(n+1)(u_0 + u_n)}{2}$ :smile:.

        - [x] Lire le cours
        - [ ] Faire l'exercice 3

        | $n$ | $u_n$ |
        |-----|-------|
        | 0   | 2     |
        | 1   | 5     |

        Voir la note[^1].

        [^1]: Programme de première, spécialité mathématiques.
        """;

    /// <summary>A notebook like one a pupil hands in: Markdown with maths, a plot, printed text and an error.</summary>
    public static string PlotNotebook() => Notebook(
        Markdown("# TP 3 : tracer une fonction\n", "\n", "On trace $f(x) = x^2$ sur $[0 ; 1]$."),
        Code(1, ["import matplotlib.pyplot as plt\n", "xs = [i / 10 for i in range(11)]\n", "print(\"points :\", len(xs))"],
            new { output_type = "stream", name = "stdout", text = new[] { "points : 11\n" } }),
        Code(2, ["plt.plot(xs, [x * x for x in xs])"],
            new { output_type = "execute_result", execution_count = 2, metadata = new { }, data = new Dictionary<string, object> { ["text/plain"] = "[<matplotlib.lines.Line2D at 0x7f>]" } },
            new { output_type = "display_data", metadata = new { }, data = new Dictionary<string, object> { ["image/png"] = PlotPngBase64 + "\n", ["text/plain"] = "<Figure size 640x480 with 1 Axes>" } }),
        Code(3, ["1 / 0"],
            new
            {
                output_type = "error", ename = "ZeroDivisionError", evalue = "division by zero",
                traceback = new[]
                {
                    "\u001b[0;31m---------------------------------------------------------------------------\u001b[0m",
                    "\u001b[0;31mZeroDivisionError\u001b[0m                         Traceback (most recent call last)",
                    "Cell \u001b[0;32mIn[3], line 1\u001b[0m\n\u001b[0;32m----> 1\u001b[0m \u001b[38;5;241m1\u001b[39m \u001b[38;5;241m/\u001b[39m \u001b[38;5;241m0\u001b[39m",
                    "\u001b[0;31mZeroDivisionError\u001b[0m: division by zero",
                },
            }));

    public static object Markdown(params string[] source) => new { cell_type = "markdown", metadata = new { }, source };

    public static object Code(int? count, string[] source, params object[] outputs) =>
        new { cell_type = "code", execution_count = count, metadata = new { }, source, outputs };

    public static string Notebook(params object[] cells) => JsonSerializer.Serialize(new
    {
        cells,
        metadata = new
        {
            kernelspec = new { display_name = "Python 3", language = "python", name = "python3" },
            language_info = new { name = "python", version = "3.12.3" },
        },
        nbformat = 4,
        nbformat_minor = 5,
    }, new JsonSerializerOptions { WriteIndented = true });
}
