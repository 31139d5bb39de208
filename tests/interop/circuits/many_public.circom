pragma circom 2.0.0;

// Twenty public inputs and one public output: a Horner evaluation
// out = sum in[i] * k^(n-1-i) at a private point k, plus a product of all
// inputs so that every public input also enters a multiplication.
template ManyPublic(n) {
    signal input in[n];
    signal input k;
    signal output out;
    signal output prod;

    signal acc[n + 1];
    signal p[n + 1];
    acc[0] <== 0;
    p[0] <== 1;
    for (var i = 0; i < n; i++) {
        acc[i + 1] <== acc[i] * k + in[i];
        p[i + 1] <== p[i] * in[i];
    }
    out <== acc[n];
    prod <== p[n];
}

component main {public [in]} = ManyPublic(20);
