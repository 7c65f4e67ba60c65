#!/usr/bin/python3
"""Export a fitted scikit-learn IsolationForest to the JSON that dex-anomaly imports.

  /usr/bin/python3 scripts/export_sklearn_model.py MODEL.joblib|MODEL.pkl OUT.json [--features a,b,c]
  npm run models -- import OUT.json          (then: npm run models -- promote <version>)

The model file holds an IsolationForest (pickle or joblib), or a Pipeline whose last step is one
with no preceding transform. Feature names come from the model's `feature_names_in_` (fitted on a
DataFrame) or from --features, in the order the model was fitted on. The output is the format of
test/fixtures/iforest/ (read by shared/iforest/sklearn_import.ts): every tree node by node, with
the per-tree feature subsets mapped back to column positions.

Needs scikit-learn, e.g. Debian's python3-sklearn:  apt-get install -y python3-sklearn
Only unpickle files you trust: loading a pickle runs code.
"""
import argparse
import json
import pickle
import sys


def fail(message):
    print(f"export_sklearn_model: {message}", file=sys.stderr)
    sys.exit(2)


try:
    import sklearn
    from sklearn.ensemble import IsolationForest
except ImportError:
    fail("scikit-learn is not installed for this Python; install Debian's python3-sklearn "
         "(apt-get install -y python3-sklearn) and run with /usr/bin/python3")


def load(path):
    try:
        import joblib
        return joblib.load(path)
    except ImportError:
        pass
    except Exception:  # not a joblib file: try plain pickle
        pass
    with open(path, "rb") as f:
        return pickle.load(f)


def unwrap(model):
    steps = getattr(model, "steps", None)
    if steps:
        if len(steps) > 1:
            fail("a Pipeline with transforms before the forest cannot be exported: the engine scores raw features")
        model = steps[-1][1]
    if not isinstance(model, IsolationForest):
        fail(f"expected a fitted sklearn.ensemble.IsolationForest, got {type(model).__module__}.{type(model).__name__}")
    if not hasattr(model, "estimators_"):
        fail("the IsolationForest is not fitted")
    return model


def export(model, feature_names):
    trees = []
    for est, feats in zip(model.estimators_, model.estimators_features_):
        t = est.tree_
        leaf = t.children_left == -1
        trees.append({
            "left": t.children_left.tolist(),
            "right": t.children_right.tolist(),
            "feature": [int(feats[f]) if not l else -1 for f, l in zip(t.feature, leaf)],
            "threshold": [float(v) if not l else 0.0 for v, l in zip(t.threshold, leaf)],
            "n_node_samples": t.n_node_samples.tolist(),
        })
    random_state = model.random_state if isinstance(model.random_state, int) else None
    return {
        "sklearn_version": sklearn.__version__,
        "feature_names": feature_names,
        "params": {
            "n_estimators": model.n_estimators,
            "max_samples": model.max_samples,
            "max_samples_": int(model.max_samples_),
            "max_features": model.max_features,
            "contamination": model.contamination,
            "random_state": random_state,
        },
        "n_features": int(model.n_features_in_),
        "offset": float(model.offset_),
        "trees": trees,
    }


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="pickle or joblib file holding a fitted IsolationForest")
    parser.add_argument("out", help="JSON file to write")
    parser.add_argument("--features", help="comma-separated feature names, in fitting order (when the model has no feature_names_in_)")
    args = parser.parse_args(argv)
    model = unwrap(load(args.model))
    given = [n.strip() for n in args.features.split(",")] if args.features else None
    fitted = [str(n) for n in model.feature_names_in_] if hasattr(model, "feature_names_in_") else None
    if given and fitted and given != fitted:
        fail(f"--features {given} differ from the model's feature_names_in_ {fitted}")
    names = given or fitted
    if not names:
        fail("the model was fitted without feature names: pass --features a,b,c in fitting order")
    if len(names) != model.n_features_in_:
        fail(f"{len(names)} feature names for a model fitted on {model.n_features_in_} features")
    if not isinstance(model.max_samples, (str, int, float)) or (isinstance(model.max_samples, str) and model.max_samples != "auto"):
        fail(f"unsupported max_samples {model.max_samples!r}")
    with open(args.out, "w") as f:
        json.dump(export(model, names), f)
    print(f"wrote {args.out}: {len(model.estimators_)} trees, features {', '.join(names)}, scikit-learn {sklearn.__version__}")


if __name__ == "__main__":
    main(sys.argv[1:])
