"""The WeChat boundary: the only package that imports wechatpy or touches WeChat XML."""
