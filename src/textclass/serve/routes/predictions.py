"""Predictions: ``POST /v1/models/{name}/predict`` and ``POST /v1/predict`` (the default)."""

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from textclass.serve.models import ServedModel
from textclass.serve.routes.dependencies import DefaultModel, NamedModel, ServiceDep, api_key
from textclass.serve.schema import PredictRequest, PredictResponse, error_responses
from textclass.serve.service import Service

router = APIRouter(
    prefix="/v1",
    tags=["predictions"],
    dependencies=[Depends(api_key)],
    responses=error_responses(401, 429, "default"),
)

_ERRORS = error_responses(400, 404, 413, 422, 504)


@router.post(
    "/models/{name}/predict",
    summary="Labels and probabilities for texts",
    response_model=PredictResponse,
    responses=_ERRORS,
)
async def predict(body: PredictRequest, model: NamedModel, service: ServiceDep) -> JSONResponse:
    return await _answer(service, model, body)


@router.post(
    "/predict",
    summary="Predict with the default model",
    response_model=PredictResponse,
    responses=_ERRORS,
)
async def predict_default(
    body: PredictRequest, model: DefaultModel, service: ServiceDep
) -> JSONResponse:
    return await _answer(service, model, body)


async def _answer(service: Service, model: ServedModel, body: PredictRequest) -> JSONResponse:
    predictions = await service.predict(model, body.texts, body.top_k, body.explain)
    # already plain JSON types: a returned response skips FastAPI's validation and
    # jsonable_encoder passes over them (PredictResponse documents it; a test checks it)
    return JSONResponse({"model": model.name, "predictions": predictions})
