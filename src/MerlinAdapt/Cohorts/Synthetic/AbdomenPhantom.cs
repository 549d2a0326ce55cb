namespace MerlinAdapt.Cohorts.Synthetic;

/// <summary>
/// The anatomy of a portal-venous abdominal CT as data: ellipsoids at typical positions (RAS+ mm: +x = patient's
/// right, +y = anterior, +z = superior) and attenuations (HU) — fat −100, muscle 50, liver 100, spleen 110,
/// renal cortex 150, aorta 160, vertebral bone 300–700, bowel gas −900, lung −850.
/// </summary>
public static class AbdomenPhantom
{
    private const double Infinite = double.PositiveInfinity;

    public static IReadOnlyList<PhantomShape> Shapes(IEnumerable<SyntheticLesion>? lesions = null)
    {
        var shapes = new List<PhantomShape>
        {
            new("subcutaneous fat", 0, 0, 0, 165, 120, Infinite, -100),
            new("abdominal wall muscle", 0, 0, 0, 152, 108, Infinite, 50),
            new("visceral fat", 0, 0, 0, 142, 98, Infinite, -90),
            new("right lung base", 70, -10, 150, 85, 75, 60, -850),
            new("left lung base", -70, -10, 150, 85, 75, 60, -850),
            new("liver", 62, 10, 45, 82, 72, 80, 100),
            new("portal vein", 30, 5, 30, 7, 7, 30, 170),
            new("right hepatic vein", 75, -5, 75, 5, 5, 35, 160),
            new("middle hepatic vein", 45, 15, 80, 5, 5, 30, 160),
            new("gallbladder", 55, 50, 0, 16, 14, 25, 10),
            new("spleen", -85, -25, 45, 38, 28, 50, 110),
            new("stomach", -45, 35, 55, 40, 30, 35, 30),
            new("stomach gas", -45, 52, 62, 25, 10, 18, -900),
            new("pancreas", -10, 15, 5, 45, 12, 12, 90),
            new("right kidney", 68, -45, -20, 28, 22, 48, 150),
            new("left kidney", -68, -45, -15, 28, 22, 48, 150),
            new("right renal pelvis", 58, -40, -20, 8, 8, 14, 10),
            new("left renal pelvis", -58, -40, -15, 8, 8, 14, 10),
            new("bowel", 0, 40, -70, 90, 45, 55, 40),
            new("bowel gas", 30, 55, -80, 18, 10, 14, -900),
            new("bowel gas 2", -40, 45, -60, 14, 9, 12, -900),
            new("psoas right", 35, -55, -60, 18, 18, 70, 55),
            new("psoas left", -35, -55, -60, 18, 18, 70, 55),
            new("aorta", -15, -35, 0, 11, 11, Infinite, 160),
            new("inferior vena cava", 20, -30, 0, 10, 12, Infinite, 130),
            new("vertebral cortex", 0, -70, 0, 22, 20, Infinite, 700),
            new("vertebral body", 0, -70, 0, 18, 16, Infinite, 280),
            new("spinal canal", 0, -95, 0, 8, 8, Infinite, 20),
        };
        shapes.AddRange(LesionShapes(lesions ?? []));
        return shapes;
    }

    /// <summary>Lesions as spheres, in order, so a later one (a tumour core) paints over an earlier one (its capsule).</summary>
    public static IEnumerable<PhantomShape> LesionShapes(IEnumerable<SyntheticLesion> lesions) =>
        lesions.Select(l => new PhantomShape("lesion", l.X, l.Y, l.Z, l.RadiusMm, l.RadiusMm, l.RadiusMm, l.Hu));
}
