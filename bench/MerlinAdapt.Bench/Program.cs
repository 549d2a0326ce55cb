using MerlinAdapt.Bench;

return BenchApp.Run(args);
