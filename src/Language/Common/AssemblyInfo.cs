// antlr-ng marks generated types [CLSCompliant(false)], which needs a declared assembly-level compliance (CS3021).
[assembly: System.CLSCompliant(false)]
