package main

import (
	"fmt"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/language"
)

func main() {
	r := gin.New()
	fmt.Println(language.English, r != nil)
}
